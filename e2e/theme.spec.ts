// Dark mode: follows the system, the toggle's choice persists across pages, and it is set before first paint.
import { expect, test } from '@playwright/test';

test('follows the system preference when nothing is stored', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await context.close();
});

test('the toggle persists across pages and overrides the system', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/chapters/softmax/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const toggle = page.getByRole('button', { name: 'Dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page
    .getByRole('link', { name: /Cross-entropy/ })
    .first()
    .click();
  await expect(page).toHaveURL(/cross-entropy/);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // The colours come with the stylesheet: read them once the page has loaded it (under load, the URL and the
  // theme attribute can be there first, and the body then has no background yet).
  await page.waitForLoadState('load');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(darkBg);

  await page.getByRole('button', { name: 'Dark mode' }).click();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await context.close();
});

test('the theme is decided before the first paint', async ({ request }) => {
  // The theme script is inline in <head>, before any stylesheet and before <body>, so no frame is drawn without it.
  const html = await (await request.get('/chapters/softmax/')).text();
  const head = html.slice(0, html.indexOf('</head>'));
  const script = head.indexOf("localStorage.getItem('theme')");
  const firstStylesheet = head.search(/<link[^>]+rel="stylesheet"|<style/);
  expect(script).toBeGreaterThan(0);
  expect(firstStylesheet === -1 || script < firstStylesheet).toBe(true);
  expect(head.slice(0, script)).not.toMatch(/<script[^>]+src=/);
});
