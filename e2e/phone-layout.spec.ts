// On a 360 px phone no demo's content is cut off at the frame's edge: wide tables and charts scroll inside their own
// boxes instead (a demo frame clips what overflows it, so anything wider would be lost), and no page is wider than
// the screen (nothing makes the whole page pan sideways).
import { expect, test } from '@playwright/test';
import { hydrateAll, sitePages } from './pages';

test.use({ viewport: { width: 360, height: 740 } });

for (const path of sitePages().filter((p) => p.startsWith('/chapters/') || p === '/performance/')) {
  test(`${path}: every demo fits a 360 px screen`, async ({ page }) => {
    await page.goto(path, { waitUntil: 'networkidle' });
    // Scroll through so every island hydrates and renders its controls.
    await hydrateAll(page);
    await page.waitForLoadState('networkidle');
    const clipped = await page.locator('.demo').evaluateAll((demos) =>
      demos.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => `${d.id}: ${d.scrollWidth} > ${d.clientWidth}`),
    );
    expect(clipped).toEqual([]);
  });
}

for (const path of sitePages()) {
  test(`${path}: the page is no wider than a 360 px screen`, async ({ page }) => {
    await page.goto(path, { waitUntil: 'networkidle' });
    await hydrateAll(page);
    const wide = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth;
      // Name the widest elements reaching past the screen's right edge, to say what widens the page.
      const clippedByAncestor = (el: Element) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
        return false;
      };
      const culprits = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > limit + 1 && !clippedByAncestor(el))
        .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}: ${Math.round(el.getBoundingClientRect().right)}`)
        .slice(0, 5);
      return { scrollWidth: document.documentElement.scrollWidth, culprits };
    });
    expect(wide.scrollWidth, wide.culprits.join('; ')).toBeLessThanOrEqual(360);
  });
}
