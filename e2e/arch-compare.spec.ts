// Two architectures trained the same way on the real pets pack: the sizes table renders before JavaScript and follows
// the image size; both models train; the settings live in the URL.
import type { Page } from '@playwright/test';
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

const demo = (page: Page) => page.locator('#arch-compare');
const row = (page: Page, arch: string) => page.getByTestId('arch-table').locator(`tr[data-arch="${arch}"] td`);

test('lists every architecture with its parameters and training cost before (and without) JavaScript', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/chapters/deeper-architectures/');
  await expect(page.getByTestId('arch-table').locator('tbody tr')).toHaveCount(4);
  // ResNet-S: 1,235,909 parameters; at the default 64 px, (64/96)^2 of the reference's 0.857 GFLOP, about 0.381.
  await expect(row(page, 'resnet-s')).toHaveText(['32-64-128-256', '1-1-1-1', '1.24 M', '0.381']);
  await expect(row(page, 'resnet-s-deep').nth(1)).toHaveText('2-2-2-2');
  await context.close();
});

test('the size slider by keyboard changes the costs and the URL; 96 px gives the reference 0.857 GFLOP', async ({
  page,
}) => {
  await page.goto('/chapters/deeper-architectures/?arch.size=88');
  await hydratedDemo(page, 'arch-compare');
  await expect(row(page, 'resnet-s').nth(3)).not.toHaveText('0.857');
  const size = demo(page).getByRole('slider', { name: 'image size (px)' });
  await size.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/arch\.size=96/);
  await expect(row(page, 'resnet-s').nth(3)).toHaveText('0.857');
  await page.reload();
  await hydratedDemo(page, 'arch-compare');
  await expect(size).toHaveValue('96');
});

test('trains two architectures the same way and reports what each cost and reached', async ({ page }) => {
  test.setTimeout(200_000);
  await page.goto(
    '/chapters/deeper-architectures/?arch.items=16&arch.bs=8&arch.size=24&arch.epochs=2&arch.a=resnet-tiny&arch.b=resnet-s',
  );
  await hydratedDemo(page, 'arch-compare');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  await expect(demo(page).locator('[role="status"]')).toContainText('Done: resnet-tiny', { timeout: 180_000 });
  const results = page.getByTestId('arch-results');
  await expect(results.locator('tbody tr')).toHaveCount(2);
  for (const [run, arch] of [
    ['A', 'resnet-tiny'],
    ['B', 'resnet-s'],
  ]) {
    const cells = results.locator(`tr[data-run="${run}"]`);
    await expect(cells.locator('th')).toHaveText(`${run}: ${arch}`);
    const [epochs, perEpoch, rate, error] = (await cells.locator('td').allInnerTexts()).map(Number);
    expect(epochs).toBe(2);
    expect(perEpoch).toBeGreaterThan(0);
    expect(rate).toBeGreaterThan(0);
    expect(error).toBeGreaterThanOrEqual(0);
    expect(error).toBeLessThanOrEqual(1);
  }
  // Loss per batch and error per epoch, one line per model.
  await expect(demo(page).locator('figure.line-chart').nth(0).locator('path.series')).toHaveCount(2);
  await expect(demo(page).locator('figure.line-chart').nth(1).locator('path.series')).toHaveCount(2);
});

test('Stop during the first model keeps what it trained and does not start the second', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(
    '/chapters/deeper-architectures/?arch.items=64&arch.bs=4&arch.size=24&arch.epochs=3&arch.a=resnet-tiny&arch.b=resnet-tiny',
  );
  await hydratedDemo(page, 'arch-compare');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  const status = demo(page).locator('[role="status"]');
  await expect(status).toContainText(/Model A \(resnet-tiny\): epoch 1 of 3, batch \d+ of 16/, { timeout: 120_000 });
  await demo(page).getByRole('button', { name: 'Stop' }).click();
  await expect(status).toContainText('Stopped; what finished is kept above', { timeout: 60_000 });
  await expect(page.getByTestId('arch-results').locator('tbody tr')).toHaveCount(1);
  await expect(demo(page).locator('figure.line-chart').nth(0).locator('path.series')).toHaveCount(1);
  await expect(demo(page).getByRole('button', { name: 'Run' })).toBeVisible();
});
