// The DataBlock and regex lab on the pack's real file names: live labelling, a bad pattern handled inline, and
// summary() with the collate error when the item step is off.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/presizing/';
const manifest = JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as {
  images: { name: string }[];
  classes: string[];
};

test('renders the labelling table and summary() without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  await expect(page.getByTestId('db-names').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('db-summary')).toContainText('collate 4 items');
  await context.close();
});

test('labels every real file name, flags an invalid pattern inline, and keeps the pattern in the URL', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(PAGE);
  await hydratedDemo(page, 'datablock-lab');
  const status = page.getByTestId('db-pattern-status');
  await expect(status).toHaveText(
    `${manifest.images.length} of ${manifest.images.length} names labelled, ${manifest.classes.length} classes, 0 unmatched.`,
  );
  const input = page.getByLabel('Label pattern (regular expression; the first group is the label)');
  await input.fill('(.+)_\\d+.jpg$(');
  await expect(status).toContainText('Not a valid regular expression');
  await input.fill('^([A-Z][a-z]+)');
  await expect(status).toContainText(' unmatched.');
  expect(await status.innerText()).not.toContain(' 0 unmatched');
  await expect(page).toHaveURL(/db\.pattern=%5E%28%5BA-Z%5D%5Ba-z%5D%2B%29/);
  await page.reload();
  await hydratedDemo(page, 'datablock-lab');
  await expect(page.getByLabel('Label pattern (regular expression; the first group is the label)')).toHaveValue(
    '^([A-Z][a-z]+)',
  );
  expect(errors).toEqual([]);
});

test('switching the item step off shows the collate error with the shapes', async ({ page }) => {
  await page.goto(PAGE);
  await hydratedDemo(page, 'datablock-lab');
  await page.getByLabel(/item step: square crop/).uncheck();
  await expect(page.getByTestId('db-collate-error')).toContainText('Cannot collate a batch');
  await expect(page.getByTestId('db-collate-error')).toContainText('Add an item step');
  await expect(page).toHaveURL(/db\.resize=off/);
});

// Patterns that backtrack catastrophically (issue 17): matched in a worker with a time limit, so the page stays
// responsive, the lab says why, and the next pattern works again.
const LABEL = 'Label pattern (regular expression; the first group is the label)';
const TOO_LONG = 'This pattern takes too long (it may backtrack catastrophically)';

function watchErrors(page: import('@playwright/test').Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** The page still answers: script runs and another control of the lab still works. */
async function stillResponsive(page: import('@playwright/test').Page): Promise<void> {
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await page.getByLabel(/item step: square crop/).uncheck();
  await expect(page).toHaveURL(/db\.resize=off/);
  await page.getByLabel(/item step: square crop/).check();
  await expect(page).not.toHaveURL(/db\.resize=off/);
}

for (const [how, pattern] of [
  ['(.+)+z', '(.%2B)%2Bz'],
  ['(\\w+)+!', '(%5Cw%2B)%2B!'],
] as const) {
  test(`a link with the hostile pattern ${how} reports it as too slow and the page stays responsive`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await page.goto(`${PAGE}?db.pattern=${pattern}`);
    await hydratedDemo(page, 'datablock-lab');
    const status = page.getByTestId('db-pattern-status');
    await expect(status).toContainText(TOO_LONG, { timeout: 10_000 });
    await expect(page.getByLabel(LABEL)).toHaveValue(how);
    await stillResponsive(page);
    await page.getByLabel(LABEL).fill('(.+)_\\d+.jpg$');
    await expect(status).toHaveText(
      `${manifest.images.length} of ${manifest.images.length} names labelled, ${manifest.classes.length} classes, 0 unmatched.`,
    );
    await expect(page.getByTestId('db-summary')).toBeVisible();
    expect(errors).toEqual([]);
  });
}

test('typing hostile patterns reports each as too slow; a normal pattern after them works again', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(PAGE);
  await hydratedDemo(page, 'datablock-lab');
  const status = page.getByTestId('db-pattern-status');
  // Every real file name first, so the hostile patterns meet the long ones (american_pit_bull_terrier_...).
  await expect(status).toContainText(`${manifest.images.length} of ${manifest.images.length} names labelled`);
  const input = page.getByLabel(LABEL);
  for (const hostile of ['(\\w+)+!', '(.+)+z']) {
    await input.fill(hostile);
    await expect(status).toContainText(TOO_LONG, { timeout: 10_000 });
    await expect(page.getByTestId('db-summary')).toHaveCount(0);
    await stillResponsive(page);
  }
  await input.fill('^([^_]+)');
  await expect(status).toContainText(`${manifest.images.length} of ${manifest.images.length} names labelled`);
  await expect(page.getByTestId('db-names').locator('tbody tr').first().locator('td').nth(1)).not.toHaveText(
    'no match',
  );
  // An invalid pattern is caught before any matching, with the engine's reason in words.
  await input.fill('([a-z]+');
  await expect(status).toContainText('Not a valid regular expression');
  await expect(status).toContainText('Unterminated group');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  expect(errors).toEqual([]);
});
