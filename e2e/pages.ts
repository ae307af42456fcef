// The pages of the built site, read from dist/ so every test covers every page.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : walk(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

/** URL paths of every page, e.g. "/", "/chapters/softmax/", "/404.html". */
export function sitePages(dist = 'dist'): string[] {
  return walk(dist)
    .map((file) => '/' + relative(dist, file).split('\\').join('/'))
    .map((p) => (p.endsWith('/index.html') ? p.slice(0, -'index.html'.length) : p))
    .sort();
}

export const chapterPages = (): string[] => sitePages().filter((p) => p.startsWith('/chapters/'));

/** Scrolls a demo into view and waits until its island has hydrated (controls before that are static HTML). */
export async function hydratedDemo(page: import('@playwright/test').Page, id: string): Promise<void> {
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  await page.locator(`astro-island:not([ssr]) #${id}`).waitFor();
}

/** Scrolls through the whole page a screen at a time so every `client:visible` island hydrates, then waits for all. */
export async function hydrateAll(page: import('@playwright/test').Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = page.viewportSize()?.height ?? 700;
  for (let y = 0; y <= height; y += step) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(50);
  }
  await page.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Keeps, in the page, the demo's status text at the moment a button of the demo is clicked (read back by atClick). */
export async function recordStatusOnClick(page: import('@playwright/test').Page, id: string): Promise<void> {
  await page.evaluate((demo) => {
    document.addEventListener(
      'click',
      (e) => {
        if ((e.target as Element).closest(`#${demo} button`))
          (window as unknown as { atClick: string }).atClick =
            document.querySelector(`#${demo} [role="status"]`)!.textContent ?? '';
      },
      true,
    );
  }, id);
}
export const atClick = (page: import('@playwright/test').Page): Promise<string> =>
  page.evaluate(() => (window as unknown as { atClick: string }).atClick);
