// Small things a reader notices: the footer's spacing, the home page's chapter links, the search box on a phone,
// and inline code that neither breaks mid-token nor widens a phone's page.
import { expect, test } from '@playwright/test';

test('the footer separates the licence from the Performance link', async ({ page }) => {
  await page.goto('/');
  const footer = (await page.locator('.site-footer').innerText()).replace(/\s+/g, ' ');
  expect(footer).toContain('CC BY-SA 4.0. Performance');
});

test("the home page's chapter links underline the title only, with no leading space", async ({ page }) => {
  await page.goto('/');
  const links = page.locator('.chapter-map > li > a');
  expect(await links.count()).toBeGreaterThan(0);
  for (const link of await links.all()) {
    const report = await link.evaluate((a) => ({
      whitespaceNodes: [...a.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).length,
      linkLine: getComputedStyle(a).textDecorationLine,
      titleLine: getComputedStyle(a.querySelector('.chapter-map-title')!).textDecorationLine,
      title: a.querySelector('.chapter-map-title')!.textContent ?? '',
    }));
    expect(report.whitespaceNodes).toBe(0);
    expect(report.linkLine).toBe('none');
    expect(report.titleLine).toBe('underline');
    expect(report.title).toBe(report.title.trim());
  }
});

test('at 360 px the search box shows its whole placeholder', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const path of ['/', '/chapters/softmax/']) {
    await page.goto(path);
    const fit = await page.locator('#site-search').evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = ctx.measureText(input.placeholder).width;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text, room, placeholder: input.placeholder };
    });
    expect(fit.placeholder).toBe('Search…');
    expect(fit.text, `${path}: placeholder width against the room inside the box`).toBeLessThanOrEqual(fit.room);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  }
  await context.close();
});

test('short inline code stays on one line and long inline code stays inside a phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/chapters/discriminative-learning-rates/');
  const slice = page.locator('article code', { hasText: 'slice(1e-6, 1e-4)' }).first();
  await expect(slice).toBeVisible();
  expect(await slice.evaluate((c) => c.getClientRects().length)).toBe(1);
  for (const path of ['/chapters/discriminative-learning-rates/', '/chapters/fastai-l/', '/chapters/interpretation/']) {
    await page.goto(path);
    const wide = await page
      .locator('article :not(pre) > code')
      .evaluateAll((codes) =>
        codes
          .filter((c) => [...c.getClientRects()].some((r) => r.right > window.innerWidth + 0.5))
          .map((c) => c.textContent),
      );
    expect(wide, `${path}: inline code past the right edge`).toEqual([]);
  }
  await context.close();
});

test("summary()'s shape column never wraps a shape, at 360 px as at 1280 px", async ({ browser }) => {
  for (const width of [360, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto('/chapters/presizing/#datablock-lab');
    const cells = page.getByTestId('db-summary').locator('tbody td:last-child');
    expect(await cells.count()).toBeGreaterThan(2);
    // The lines a cell's text takes: the distinct tops of its text's boxes (a row may be taller for other cells).
    const lines = await cells.evaluateAll((tds) =>
      tds.map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return {
          text: td.textContent ?? '',
          lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
        };
      }),
    );
    const shapes = lines.filter((c) => c.text.trim() !== '');
    expect(shapes.length).toBeGreaterThan(2);
    for (const l of shapes) expect(l.lines, `${l.text} at ${width} px`).toBe(1);
    await context.close();
  }
});
