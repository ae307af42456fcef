// On a 360 px phone no demo's content is cut off at the frame's edge: wide tables and charts scroll inside their own
// boxes instead (a demo frame clips what overflows it, so anything wider would be lost).
import { expect, test } from '@playwright/test';
import { sitePages } from './pages';

test.use({ viewport: { width: 360, height: 740 } });

for (const path of sitePages().filter((p) => p.startsWith('/chapters/') || p === '/performance/')) {
  test(`${path}: every demo fits a 360 px screen`, async ({ page }) => {
    await page.goto(path, { waitUntil: 'networkidle' });
    // Scroll through so every island hydrates and renders its controls.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
    const clipped = await page.locator('.demo').evaluateAll((demos) =>
      demos.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => `${d.id}: ${d.scrollWidth} > ${d.clientWidth}`),
    );
    expect(clipped).toEqual([]);
  });
}
