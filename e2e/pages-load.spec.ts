// Every page loads with no console error, no uncaught exception and no failed request.
import { expect, test } from '@playwright/test';
import { sitePages } from './pages';

for (const path of sitePages()) {
  test(`${path} loads cleanly`, async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      // The 404 page is served with status 404 on purpose; anything else must be found.
      if (r.status() >= 400 && !(path === '/404.html' && r.url().endsWith('/404.html'))) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(path, { waitUntil: 'networkidle' });
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page).toHaveTitle(/Pet breeds, live/);
    // Scroll to the end so visible-only islands hydrate and report their errors too.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });
}
