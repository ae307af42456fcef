// A browser without WebGPU: the demos say so plainly and fall back to WebGL, and still work.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';
import { chromiumLaunch } from './chromium-launch';

test.use({ launchOptions: chromiumLaunch(['--disable-features=WebGPU,Vulkan']) });

test('without WebGPU, a demo explains the fallback and still shows real pets', async ({ page }) => {
  await page.goto('/chapters/presizing/');
  await hydratedDemo(page, 'show-batch');
  await page.getByRole('button', { name: 'Show a batch' }).click();
  await expect(page.locator('#show-batch canvas')).toHaveCount(12, { timeout: 90_000 });
  const backend = await page.locator('#show-batch .demo-backend').innerText();
  expect(backend).not.toBe('webgpu');
  await expect(page.locator('#show-batch .demo-notice')).toContainText(`WebGPU is not available here`);
  await expect(page.locator('#show-batch .demo-notice')).toContainText(`runs on ${backend}`);
});
