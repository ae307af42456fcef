// Chart text stays readable: every text element of every chart (SVG) on every page renders at 12 px or more, on a
// wide screen and on a 360 px phone. A chart that scales its SVG (a viewBox wider than the box it is drawn in) shrinks
// its text with it; the size that counts is the font size times the SVG's scale on screen.
import { expect, test } from '@playwright/test';
import { hydrateAll, sitePages } from './pages';

const MIN_PX = 12;

for (const width of [1280, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });
    for (const path of sitePages().filter((p) => p.startsWith('/chapters/') || p === '/performance/')) {
      test(`${path}: chart text is at least ${MIN_PX} px`, async ({ page }) => {
        await page.goto(path);
        await hydrateAll(page);
        const texts = await page.locator('main svg text').evaluateAll((els) =>
          els
            .filter((el) => (el.textContent ?? '').trim() !== '' && (el as SVGGraphicsElement).getClientRects().length > 0)
            .map((el) => {
              const ctm = (el as SVGGraphicsElement).getScreenCTM();
              const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
              const px = parseFloat(getComputedStyle(el).fontSize) * scale;
              const chart = el.closest('figure, .demo')?.querySelector('figcaption')?.textContent?.trim().slice(0, 40) ?? el.closest('.demo')?.id ?? '?';
              return { px: Math.round(px * 10) / 10, text: (el.textContent ?? '').trim().slice(0, 20), chart };
            }),
        );
        const small = texts.filter((t) => t.px < MIN_PX).map((t) => `${t.chart}: "${t.text}" ${t.px} px`);
        expect([...new Set(small)].slice(0, 15)).toEqual([]);
      });
    }
  });
}

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 800 } });
  test('the confusion matrix keeps its size, says it scrolls, and scrolls by keyboard', async ({ page }) => {
    await page.goto('/chapters/interpretation/');
    await hydrateAll(page);
    const matrix = page.locator('figure.heatmap');
    await expect(matrix.getByTestId('heatmap-hint')).toBeVisible();
    await expect(matrix.getByTestId('heatmap-hint')).toContainText('scroll it sideways');
    const box = matrix.locator('.scroll');
    expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await box.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
});
