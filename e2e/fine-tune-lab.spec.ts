// The fine-tuning lab: fine_tune twice on the real pets pack, from the committed pretrained body and from random
// weights (or with one rate for all groups); the plan chart renders before JavaScript; a missing body is reported.
import type { Page } from '@playwright/test';
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

const demo = (page: Page) => page.locator('#fine-tune-lab');
const status = (page: Page) => demo(page).locator('[role="status"]');
const QUICK = 'ft.items=16&ft.bs=8&ft.size=24&ft.epochs=1&ft.freeze=1';

test('draws the learning-rate plan of every parameter group before (and without) JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/chapters/transfer-learning/');
  await expect(page.getByTestId('ft-plan-a').locator('svg path.series')).toHaveCount(3);
  await expect(page.getByTestId('ft-runs')).toContainText(
    'B: random body (no pretraining), fine_tune(2, 2.0e-3, freeze_epochs=1, lr_mult=100)',
  );
  await page.goto('/chapters/discriminative-learning-rates/');
  await expect(page.getByTestId('ft-runs')).toContainText(
    'B: pretrained, one rate for all groups, fine_tune(2, 2.0e-3, freeze_epochs=1, lr_mult=1)',
  );
  await context.close();
});

test('fine-tunes a pretrained body and a random one on the same images; both finish both phases', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/chapters/transfer-learning/?${QUICK}`);
  await hydratedDemo(page, 'fine-tune-lab');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  await expect(status(page)).toContainText('Done: error rate', { timeout: 220_000 });
  await expect(page.getByTestId('ft-sources')).toContainText(
    'A: a resnet-s with a body pretrained on imagenette and a new head',
  );
  await expect(page.getByTestId('ft-sources')).toContainText('B: an untrained resnet-s (random weights)');
  for (const run of ['A', 'B']) {
    const phases = await page.getByTestId('ft-epochs').locator(`tr[data-run="${run}"] td:nth-child(2)`).allInnerTexts();
    expect(phases).toEqual(['frozen', 'unfrozen, lr_max 0.000998 (base_lr / 2)']); // base_lr 10^-2.7, halved
  }
  // Two loss curves, one per run, each with a point per batch (2 batches per epoch, 2 epochs).
  await expect(
    demo(page).locator('figure', { hasText: 'Training loss (smoothed) per batch' }).locator('path.series'),
  ).toHaveCount(2);
  const errors = await page.getByTestId('ft-epochs').locator('tbody td:nth-child(6)').allInnerTexts();
  for (const e of errors.map(Number)) (expect(e).toBeGreaterThanOrEqual(0), expect(e).toBeLessThanOrEqual(1));
});

test('lr_mult by keyboard changes the plan, the runs and the URL', async ({ page }) => {
  await page.goto('/chapters/discriminative-learning-rates/');
  await hydratedDemo(page, 'fine-tune-lab');
  const mult = demo(page).getByRole('slider', { name: /lr_mult/ });
  await mult.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/ft\.mult=1/);
  await expect(page.getByTestId('ft-runs')).toContainText(
    'A: pretrained body, fine_tune(2, 2.0e-3, freeze_epochs=1, lr_mult=10)',
  );
  // The plan's first group now ends a tenth, not a hundredth, of the head's rate: read from the chart's hidden table.
  const last = async (name: string) =>
    Number((await demo(page).locator('tr', { hasText: name }).first().locator('td').innerText()).split(': ')[1]);
  const ratio = (await last('head')) / (await last('stem to stage 2'));
  expect(Math.abs(ratio - 10)).toBeLessThan(0.15); // both printed to 3 significant digits
  await page.reload();
  await hydratedDemo(page, 'fine-tune-lab');
  await expect(mult).toHaveValue('1');
});

test('a missing pretrained body is reported and nothing is trained', async ({ page, allowedConsole }) => {
  test.setTimeout(120_000);
  allowedConsole.push(/status of 404/); // the body's request, refused on purpose
  await page.route('**/models/resnet-s-imagenette.petw', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(`/chapters/transfer-learning/?${QUICK}`);
  await hydratedDemo(page, 'fine-tune-lab');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  await expect(status(page)).toContainText('could not be fetched (HTTP 404)', { timeout: 100_000 });
  await expect(page.getByTestId('ft-epochs')).toContainText('No epoch finished yet.');
  await expect(demo(page).getByRole('button', { name: 'Run' })).toBeVisible();
});
