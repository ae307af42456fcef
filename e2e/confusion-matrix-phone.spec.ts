// The confusion matrix on a phone: it keeps a readable size and scrolls in its own box. (Every chart's text size, on
// every page at both widths: page-sweep.spec.ts.)
import { expect, test } from '@playwright/test';
import { hydrateAll } from './pages';

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
