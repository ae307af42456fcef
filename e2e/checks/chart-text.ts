// Chart text too small to read: every text element of every chart (SVG) shown in the page's main column, at its
// size on screen. A chart that scales its SVG (a viewBox wider than the box it is drawn in) shrinks its text with it;
// the size that counts is the font size times the SVG's scale on screen.
import type { Page } from '@playwright/test';

export const MIN_CHART_PX = 12;

/** Up to 15 distinct "chart: text size" lines for text under MIN_CHART_PX; empty when all is readable. */
export async function smallChartText(page: Page): Promise<string[]> {
  const texts = await page.locator('main svg text').evaluateAll((els) =>
    els
      .filter((el) => (el.textContent ?? '').trim() !== '' && (el as SVGGraphicsElement).getClientRects().length > 0)
      .map((el) => {
        const ctm = (el as SVGGraphicsElement).getScreenCTM();
        const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
        const px = parseFloat(getComputedStyle(el).fontSize) * scale;
        const chart =
          el.closest('figure, .demo')?.querySelector('figcaption')?.textContent?.trim().slice(0, 40) ??
          el.closest('.demo')?.id ??
          '?';
        return { px: Math.round(px * 10) / 10, text: (el.textContent ?? '').trim().slice(0, 20), chart };
      }),
  );
  const small = texts.filter((t) => t.px < MIN_CHART_PX).map((t) => `${t.chart}: "${t.text}" ${t.px} px`);
  return [...new Set(small)].slice(0, 15);
}
