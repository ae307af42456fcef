// Every option of every demo's select fits inside the select, on a wide screen and on a 360 px phone: a reader never
// sees a choice cut off ("…(lr_mult"), and no select sticks out of its control under the next one. The text's width is
// measured in the select's own font.
import { expect, test } from '@playwright/test';
import { chapterPages, hydrateAll } from './pages';

for (const width of [1280, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });
    for (const path of chapterPages()) {
      test(`${path}: no select cuts its options off`, async ({ page }) => {
        await page.goto(path);
        await hydrateAll(page);
        const cut = await page.locator('.demo select').evaluateAll((selects) => {
          const ctx = document.createElement('canvas').getContext('2d')!;
          return selects.flatMap((el) => {
            const select = el as HTMLSelectElement;
            const cs = getComputedStyle(select);
            ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
            // Room for the text: the inner width less the padding and the drop-down arrow (about 20 px).
            const room = select.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
            const name = select.closest('label')?.firstChild?.textContent?.trim() ?? select.name;
            // Nor may the select stick out of the control it belongs to (where the next control would cover it).
            const cell = select.closest('label') ?? select.parentElement!;
            const outside =
              select.getBoundingClientRect().right > cell.getBoundingClientRect().right + 0.5
                ? [`${name}: the select sticks out of its control`]
                : [];
            return outside.concat(
              [...select.options]
                .filter((o) => ctx.measureText(o.text).width > room + 0.5)
                .map(
                  (o) =>
                    `${name}: "${o.text}" needs ${Math.ceil(ctx.measureText(o.text).width)} px, has ${Math.floor(room)}`,
                ),
            );
          });
        });
        expect(cut).toEqual([]);
      });
    }
  });
}
