// Code on every page renders: no empty code block anywhere, and every <Compare> shows two labelled, non-empty columns.
import { expect, test } from '@playwright/test';
import { sitePages } from './pages';

interface CodeReport {
  emptyBlocks: string[];
  compares: { labels: string[]; codes: string[] }[];
}

for (const path of sitePages()) {
  test(`${path}: every code block and comparison column has code`, async ({ page }) => {
    await page.goto(path);
    const report: CodeReport = await page.evaluate(() => {
      const text = (el: Element) => (el.textContent ?? '').trim();
      const emptyBlocks = [...document.querySelectorAll('pre')]
        .filter((pre) => text(pre) === '' || (pre as HTMLElement).offsetHeight === 0)
        .map((pre) => pre.outerHTML.slice(0, 120));
      const compares = [...document.querySelectorAll('main .compare')].map((c) => ({
        labels: [...c.querySelectorAll('.compare-label')].map(text),
        codes: [...c.querySelectorAll('pre')].map(text),
      }));
      return { emptyBlocks, compares };
    });
    expect(report.emptyBlocks, 'empty or invisible code blocks').toEqual([]);
    for (const [i, c] of report.compares.entries()) {
      expect(c.labels, `comparison ${i + 1}: two labels`).toHaveLength(2);
      expect(
        c.labels.every((l) => l.length > 0),
        `comparison ${i + 1}: labels have text`,
      ).toBe(true);
      expect(c.codes, `comparison ${i + 1}: one code block per column`).toHaveLength(2);
      expect(
        c.codes.every((code) => code.length > 0),
        `comparison ${i + 1}: both columns hold code`,
      ).toBe(true);
    }
  });
}

test('a comparison sits side by side on a wide screen and stacks, label above its code, on a phone', async ({
  browser,
}) => {
  for (const [width, sideBySide] of [
    [1280, true],
    [360, false],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto('/chapters/presizing/');
    const compare = page.locator('main .compare').first();
    await expect(compare).toBeVisible();
    const boxes = async (sel: string) =>
      Promise.all((await compare.locator(sel).all()).map(async (l) => (await l.boundingBox())!));
    const [labelL, labelR] = await boxes('.compare-label');
    const [codeL, codeR] = await boxes('pre');
    if (sideBySide) {
      expect(Math.abs(codeL!.y - codeR!.y)).toBeLessThan(2);
      expect(codeR!.x).toBeGreaterThan(codeL!.x + codeL!.width - 1);
      expect(labelR!.x).toBeGreaterThan(labelL!.x + labelL!.width - 1);
    } else {
      // Stacked: left label, left code, right label, right code, top to bottom, and nothing wider than the phone.
      expect(labelL!.y + labelL!.height).toBeLessThanOrEqual(codeL!.y + 1);
      expect(codeL!.y + codeL!.height).toBeLessThanOrEqual(labelR!.y + 1);
      expect(labelR!.y + labelR!.height).toBeLessThanOrEqual(codeR!.y + 1);
      expect(codeR!.x + codeR!.width).toBeLessThanOrEqual(width);
    }
    await context.close();
  }
});
