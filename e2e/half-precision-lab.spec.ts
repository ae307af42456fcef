// The half-precision lab: exact float16 numbers rendered before JavaScript, keyboard control with state in the URL,
// loss scaling and the master copy, and the GPU timing (or a plain answer why there is none), with no console error.
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/deeper-architectures/';

test('renders statically before (and without) JavaScript, with the float16 numbers', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${PAGE}#half-precision-lab`);
  const lab = page.locator('#half-precision-lab');
  // 0.1 is not a float16: the nearest one is 0.0999755859375 (bits 0x2e66).
  await expect(lab.getByTestId('fp16-value')).toHaveText('0.099975586');
  await expect(lab.getByTestId('fp16-grad-plain')).toContainText('0 (lost)');
  await expect(lab.getByTestId('fp16-accumulate')).toContainText('kept in float16 it is 1,');
  await context.close();
});

test('typing a number, keyboard sliders and the URL; loss scaling saves the gradient', async ({ page }) => {
  await page.goto(PAGE);
  await hydratedDemo(page, 'half-precision-lab');
  const lab = page.locator('#half-precision-lab');
  await lab.getByTestId('fp16-x').fill('70000');
  await lab.getByTestId('fp16-x').press('Enter');
  await expect(lab.getByTestId('fp16-value')).toHaveText('+∞');
  await expect(page).toHaveURL(/fp16\.x=70000/);
  await lab.getByTestId('fp16-x').fill('65504');
  await lab.getByTestId('fp16-x').press('Enter');
  await expect(lab.getByTestId('fp16-value')).toHaveText('65504');
  await expect(lab.getByTestId('fp16-spacing')).toHaveText('32');

  // Scale 2^16 saves a gradient of 1e-8; dropping the scale to 2^0 by keyboard loses it.
  await expect(lab.getByTestId('fp16-grad-recovered')).toContainText('9.9972e-9');
  const scale = page.getByRole('slider', { name: 'loss scale (log2)' });
  await scale.focus();
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(/fp16\.scale=0/);
  await expect(lab.getByTestId('fp16-grad-recovered')).toHaveText('0');

  await page.reload();
  await hydratedDemo(page, 'half-precision-lab');
  await expect(page.getByRole('slider', { name: 'loss scale (log2)' })).toHaveAttribute('aria-valuetext', '0');
  await expect(lab.getByTestId('fp16-value')).toHaveText('65504');
  await lab.getByRole('button', { name: 'Reset' }).click();
  await expect(page).toHaveURL(/\/chapters\/deeper-architectures\/(#.*)?$/);
  await expect(lab.getByTestId('fp16-value')).toHaveText('0.099975586');
});

test('the GPU timing runs where shader-f16 exists, and says plainly why not where it does not', async ({ page }) => {
  await page.goto(PAGE);
  await hydratedDemo(page, 'half-precision-lab');
  const lab = page.locator('#half-precision-lab');
  const hasF16 = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu;
    const a = gpu ? await gpu.requestAdapter() : null;
    return a ? a.features.has('shader-f16') : null;
  });
  await lab.getByTestId('fp16-time').click();
  const support = lab.getByTestId('fp16-support');
  await expect(support).toBeVisible({ timeout: 60_000 });
  if (hasF16) {
    await expect(support).toContainText('offers shader-f16');
    await expect(lab.getByTestId('fp16-timing')).toBeVisible({ timeout: 60_000 });
    await expect(lab).toContainText('differ by at most');
  } else if (hasF16 === false) {
    await expect(support).toContainText('does not offer shader-f16');
  } else {
    await expect(support).toContainText(/no WebGPU|no GPU adapter/);
  }
});
