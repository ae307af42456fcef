// Search: the header box finds chapter text from the Pagefind index served with the site.
import { expect, test } from '@playwright/test';

test('search finds a term from a chapter and opens it', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: 'Search the chapters' });
  await box.fill('likelihood');
  const results = page.locator('#search-results');
  await expect(results).toBeVisible();
  const first = results.locator('a').first();
  await expect(first).toHaveAttribute('href', /\/chapters\/cross-entropy\//);
  await expect(results.locator('mark').first()).toContainText(/likelihood/i);
  await box.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/chapters\/cross-entropy\//);
});

test('search says so when nothing matches', async ({ page }) => {
  await page.goto('/chapters/softmax/');
  await page.getByRole('searchbox', { name: 'Search the chapters' }).fill('zzqxv');
  await expect(page.locator('#search-results')).toContainText('No results');
});
