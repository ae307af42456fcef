// Site chrome: metadata, copy-link, previous/next, the phone menu.
import { expect, test } from '@playwright/test';

test('pages carry title, description, canonical, Open Graph and Twitter metadata', async ({ page }) => {
  await page.goto('/chapters/lr-finder/');
  await expect(page).toHaveTitle('The learning-rate finder · Pet breeds, live');
  const meta = async (sel: string) => page.locator(sel).getAttribute('content');
  expect(await meta('meta[name="description"]')).toMatch(/learning rate/);
  expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toMatch(/\/chapters\/lr-finder\/$/);
  expect(await meta('meta[property="og:title"]')).toContain('learning-rate finder');
  expect(await meta('meta[property="og:type"]')).toBe('article');
  expect(await meta('meta[name="twitter:card"]')).toBe('summary_large_image');
  const image = new URL((await meta('meta[property="og:image"]'))!);
  const response = await page.request.get(image.pathname);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/png');
});

test('the sitemap lists every chapter', async ({ request }) => {
  const index = await (await request.get('/sitemap-index.xml')).text();
  const first = index.match(/<loc>([^<]+)<\/loc>/)![1]!;
  const sitemap = await (await request.get(new URL(first).pathname)).text();
  for (const slug of ['presizing', 'softmax', 'cross-entropy', 'lr-finder', 'interpretation']) {
    expect(sitemap).toContain(`/chapters/${slug}/`);
  }
});

test('copy link on a heading copies an absolute link to that section', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto('/chapters/cross-entropy/');
  await page.locator('#taking-the-log a.copy-link').click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    `${baseURL}/chapters/cross-entropy/#taking-the-log`,
  );
  await expect(page).toHaveURL(/#taking-the-log$/);
  await context.close();
});

test('previous and next links follow the reading order', async ({ page }) => {
  await page.goto('/chapters/softmax/');
  await expect(page.locator('a[rel="prev"]')).toHaveAttribute('href', '/chapters/presizing/');
  await expect(page.locator('a[rel="next"]')).toHaveAttribute('href', '/chapters/cross-entropy/');
});

test('on a phone the chapter list opens from the menu button', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/chapters/softmax/');
  const sidebar = page.locator('#sidebar');
  await expect(sidebar).toBeHidden();
  const menu = page.getByRole('button', { name: 'Chapters' });
  await menu.click();
  await expect(sidebar).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
