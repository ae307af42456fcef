// The learning-rate finder in the browser: a live sweep on the real pets pack, fastai's suggestions, and a link that
// carries the suggested rate to the training demo.
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

test('sweeps the learning rate on WebGPU and suggests rates', async ({ page }) => {
  test.setTimeout(240_000);
  // Forced: on the e2e browser's software adapter the page would choose wasm by itself.
  await page.goto(
    '/chapters/lr-finder/?backend=webgpu&lrf.numIt=20&lrf.size=24&lrf.bs=4&lrf.items=16&lrf.arch=resnet-tiny',
  );
  await hydratedDemo(page, 'lr-finder');
  await page.locator('#lr-finder').getByRole('button', { name: 'Run' }).click();
  const status = page.locator('#lr-finder [role="status"]');
  await expect(status).toContainText('the weights are back as they were', { timeout: 200_000 });
  const cells = await page.getByTestId('lr-suggestions').locator('td').allInnerTexts();
  for (const v of cells.slice(0, 3)) expect(Number(v)).toBeGreaterThan(1e-7);
  const link = page.getByRole('link', { name: 'Train with the valley rate' });
  await expect(link).toHaveAttribute('href', /train\.lr=-\d+\.\d\d.*#train-run$/);
  await expect(page.locator('#lr-finder svg path.series').first()).toBeAttached();
});
