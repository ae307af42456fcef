// A backend forced with ?backend= that cannot start here (WebGL and WebGPU turned off in the browser): the demo runs
// on another and says that the forced one failed, and why.
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';
import { chromiumLaunch } from './chromium-launch';

test.use({
  launchOptions: chromiumLaunch(['--disable-gpu', '--disable-software-rasterizer', '--disable-features=WebGPU,Vulkan']),
});

for (const forced of ['webgl', 'webgpu']) {
  test(`?backend=${forced} where it cannot start says the forced backend failed`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`/chapters/presizing/?backend=${forced}`);
    await hydratedDemo(page, 'show-batch');
    await page.getByRole('button', { name: 'Show a batch' }).click();
    await expect(page.locator('#show-batch canvas')).toHaveCount(12, { timeout: 90_000 });
    const backend = await page.locator('#show-batch .demo-backend').innerText();
    expect(backend).not.toBe(forced);
    await expect(page.locator('#show-batch .demo-notice')).toContainText(
      `You asked for ${forced} (?backend=${forced}), but it could not start here`,
    );
    await expect(page.locator('#show-batch .demo-notice')).toContainText(`so this runs on ${backend} instead`);
  });
}
