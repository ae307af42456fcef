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

test('a nonsense query finds nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search the chapters' }).fill('xyzzy');
  const results = page.locator('#search-results');
  await expect(results).toContainText('No results for “xyzzy”');
  await expect(results.locator('a')).toHaveCount(0);
});

test('a result opens the section that matches, not the top of the page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search the chapters' }).fill('likelihood');
  const first = page.locator('#search-results a').first();
  await expect(first).toHaveAttribute('href', /\/chapters\/cross-entropy\/#[a-z0-9-]+$/);
  const href = (await first.getAttribute('href'))!;
  const anchor = href.split('#')[1]!;
  await expect(first.locator('.search-section')).not.toBeEmpty();
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/chapters/cross-entropy/#${anchor}$`));
  await expect(page.locator(`[id="${anchor}"]`)).toBeInViewport();
});

test('demo controls are not in the search index', async ({ page }) => {
  // "valley" is both prose (the LR finder's suggestions) and a demo option; excerpts come from the prose only.
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: 'Search the chapters' });
  await box.fill('valley');
  await expect(page.locator('#search-results a').first()).toBeVisible();
  for (const excerpt of await page.locator('#search-results a > span').allInnerTexts()) {
    expect(excerpt).not.toMatch(/\(default\)|–\s*steep\s*–/);
  }
  // Words that appear only inside the LR finder demo (its controls, labels, status) find nothing on that page.
  await page.goto('/chapters/lr-finder/');
  const demoOnly = await page.evaluate(() => {
    // Text node by text node (joined with spaces, so neighbouring labels do not run together).
    const inDemo: string[] = [];
    const inProse: string[] = [];
    const walker = document.createTreeWalker(document.querySelector('article.prose')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      (n.parentElement?.closest('astro-island') ? inDemo : inProse).push(n.textContent ?? '');
    }
    const words = (t: string[]) =>
      new Set(
        t
          .join(' ')
          .toLowerCase()
          .match(/[a-z]{5,}/g) ?? [],
      );
    // Pagefind stems words ("image" finds "images", "latest" meets "later"), so a demo word counts only if no prose word
    // shares its first four letters.
    const stems = new Set([...words(inProse)].map((w) => w.slice(0, 4)));
    return [...words(inDemo)].filter((w) => !stems.has(w.slice(0, 4))).slice(0, 4);
  });
  expect(demoOnly.length).toBeGreaterThan(0);
  for (const word of demoOnly) {
    await box.fill(word);
    await expect(page.locator('#search-results')).toBeVisible();
    await page.waitForTimeout(400); // the debounce (120 ms) and the index fragments
    const hrefs = await page
      .locator('#search-results a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(
      hrefs.filter((h) => h.startsWith('/chapters/lr-finder/')),
      `"${word}" is demo text only`,
    ).toEqual([]);
  }
});
