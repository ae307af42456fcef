// The learning-rate finder's chart, drawn as fastai draws it: the smoothed loss fills the plot (the loss axis ends at
// the sweep's stop line, so raw spikes cannot flatten it), the raw loss is faint behind it, and every suggestion the
// sweep could compute is marked on the curve and named in the legend.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

test('a tiny sweep marks every suggestion on the smoothed curve, which fills the plot', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(
    '/chapters/lr-finder/?backend=wasm&lrf.numIt=40&lrf.size=24&lrf.bs=4&lrf.items=16&lrf.arch=resnet-tiny',
  );
  await hydratedDemo(page, 'lr-finder');
  const demo = page.locator('#lr-finder');
  await demo.getByRole('button', { name: 'Run' }).click();
  const valley = page.getByTestId('lr-suggestions').locator('tr', { hasText: 'valley' }).locator('td');
  await expect(valley).toHaveText(/^\d\.\d\de[-+]\d+$/, { timeout: 200_000 });

  const cells = await page.getByTestId('lr-suggestions').locator('td').allInnerTexts();
  const finite = cells.filter((v) => Number.isFinite(Number(v)));
  expect(finite.length).toBeGreaterThanOrEqual(3);
  const chart = demo.locator('figure.line-chart');
  // One marker on the curve per suggestion the sweep computed, each named in the legend with its rate.
  await expect(chart.locator('svg[role="img"] path.point')).toHaveCount(finite.length);
  const legend = await chart.locator('figcaption .key-point').allInnerTexts();
  expect(legend.length).toBe(finite.length);
  for (const name of ['minimum / 10', 'steep', 'valley']) expect(legend.join(' | ')).toContain(name);

  // The smoothed curve spans most of the plot's height: the axis is set by it, not by the raw loss.
  const box = await chart.evaluate((fig) => {
    const svg = fig.querySelector('svg[role="img"]')!;
    const plot = svg.querySelector('clipPath rect')!.getBoundingClientRect();
    const smooth = svg.querySelector('path.series.chart-1')!.getBoundingClientRect();
    const raw = svg.querySelector('path.series.chart-2')!;
    return { plot: plot.height, smooth: smooth.height, rawFaint: raw.classList.contains('faint') };
  });
  expect(box.smooth / box.plot).toBeGreaterThan(0.6);
  expect(box.rawFaint).toBe(true);
  expect(errors).toEqual([]);
});
