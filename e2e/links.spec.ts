// Every internal link resolves to a page, and every fragment to an element with that id on it.
import { expect, test } from '@playwright/test';
import { sitePages } from './pages';

test('every internal link and anchor resolves', async ({ page, request }) => {
  const idsByPath = new Map<string, Set<string>>();
  const idsOf = async (path: string): Promise<Set<string> | null> => {
    if (idsByPath.has(path)) return idsByPath.get(path)!;
    const response = await request.get(path);
    if (!response.ok()) return null;
    const html = await response.text();
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
    idsByPath.set(path, ids);
    return ids;
  };
  const broken: string[] = [];
  let checked = 0;
  for (const from of sitePages()) {
    await page.goto(from);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      if (url.origin !== new URL(page.url()).origin) continue;
      checked++;
      const ids = await idsOf(url.pathname);
      if (!ids) broken.push(`${from} -> ${url.pathname} (page missing)`);
      else if (url.hash && !ids.has(decodeURIComponent(url.hash.slice(1))))
        broken.push(`${from} -> ${url.pathname}${url.hash} (anchor missing)`);
    }
  }
  expect(broken).toEqual([]);
  expect(checked).toBeGreaterThan(50);
});

test('every chapter lists its concepts in the sidebar, and each is a heading with a copy-link control', async ({
  page,
}) => {
  for (const path of sitePages().filter((p) => p.startsWith('/chapters/'))) {
    await page.goto(path);
    const concepts = await page.$$eval('.concept-list a', (as) =>
      as.map((a) => new URL((a as HTMLAnchorElement).href).hash.slice(1)),
    );
    expect(concepts.length, path).toBeGreaterThanOrEqual(3);
    for (const id of concepts) {
      const heading = page.locator(`h2#${id}, h3#${id}`);
      await expect(heading, `${path}#${id}`).toHaveCount(1);
      await expect(heading.locator('a.copy-link')).toHaveAttribute('href', `#${id}`);
    }
  }
});

test('a missing page gets the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/no/such/page/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await expect(page.locator('main a[href="/"]')).toBeVisible();
});
