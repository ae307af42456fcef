// The DataBlock and regex lab on the pack's real file names: live labelling, a bad pattern handled inline, and
// summary() with the collate error when the item step is off.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/presizing/';
const manifest = JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as { images: { name: string }[]; classes: string[] };

test('renders the labelling table and summary() without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  await expect(page.getByTestId('db-names').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('db-summary')).toContainText('collate 4 items');
  await context.close();
});

test('labels every real file name, flags an invalid pattern inline, and keeps the pattern in the URL', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(PAGE);
  await hydratedDemo(page, 'datablock-lab');
  const status = page.getByTestId('db-pattern-status');
  await expect(status).toHaveText(`${manifest.images.length} of ${manifest.images.length} names labelled, ${manifest.classes.length} classes, 0 unmatched.`);
  const input = page.getByLabel('Label pattern (regular expression; the first group is the label)');
  await input.fill('(.+)_\\d+.jpg$(');
  await expect(status).toContainText('Not a valid regular expression');
  await input.fill('^([A-Z][a-z]+)');
  await expect(status).toContainText(' unmatched.');
  expect(await status.innerText()).not.toContain(' 0 unmatched');
  await expect(page).toHaveURL(/db\.pattern=%5E%28%5BA-Z%5D%5Ba-z%5D%2B%29/);
  await page.reload();
  await hydratedDemo(page, 'datablock-lab');
  await expect(page.getByLabel('Label pattern (regular expression; the first group is the label)')).toHaveValue('^([A-Z][a-z]+)');
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
