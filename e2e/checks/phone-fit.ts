// On a phone nothing is cut off and nothing widens the page: a demo frame clips what overflows it (so anything wider
// than the frame would be lost; wide tables and charts must scroll in their own boxes), and no element may reach past
// the screen's right edge unless a scrolling ancestor holds it.
import type { Page } from '@playwright/test';

/** Demos whose content is wider than their frame, as "id: content > frame". */
export const clippedDemos = (page: Page): Promise<string[]> =>
  page
    .locator('.demo')
    .evaluateAll((demos) =>
      demos.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => `${d.id}: ${d.scrollWidth} > ${d.clientWidth}`),
    );

/** The page's scroll width, and the widest elements reaching past the screen's right edge, to say what widens it. */
export const pageWidth = (page: Page): Promise<{ scrollWidth: number; culprits: string[] }> =>
  page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const clippedByAncestor = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 1 && !clippedByAncestor(el))
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}: ${Math.round(el.getBoundingClientRect().right)}`,
      )
      .slice(0, 5);
    return { scrollWidth: document.documentElement.scrollWidth, culprits };
  });
