// The regular-expressions page: exercises checked live against every real file name of the pets pack, answers on
// request, patterns in the URL, hostile and invalid patterns handled; the static page before JavaScript.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/regular-expressions/';
const names = (
  JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as { images: { name: string }[] }
).images.map((im) => im.name);
/** Names whose breed has an underscore in it (great_pyrenees): what a lazy breed pattern gets wrong. */
const multiWord = names.filter((n) => n.replace(/_\d+\.jpg$/, '').includes('_')).length;

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

test('renders the four exercises, their task and their answers without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  for (const id of ['breed', 'number', 'first-word', 'cats']) {
    await expect(page.getByTestId(`rx-${id}`)).toBeVisible();
    await expect(page.getByTestId(`rx-${id}-verdict`)).toHaveText(
      `Type a pattern: it is checked against ${names.length} real file names.`,
    );
  }
  await page.getByTestId('rx-breed').getByText('Show an answer').click();
  await expect(page.getByTestId('rx-breed-answer')).toHaveText('(.+)_\\d+\\.jpg$');
  await context.close();
});

test('a pattern is scored on every real file name, mismatches are listed, and the pattern lives in the URL', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(PAGE);
  await hydratedDemo(page, 'regex-exercises');
  const input = page.getByTestId('rx-breed-input');
  const verdict = page.getByTestId('rx-breed-verdict');
  await input.fill('^(.+?)_');
  await expect(verdict).toHaveText(
    `${names.length - multiWord} of ${names.length} file names labelled as wanted; ${multiWord} not.`,
  );
  const firstWrong = page.getByTestId('rx-breed-mismatches').locator('tbody tr').first().locator('td');
  const want = await firstWrong.nth(2).innerText();
  expect(want).toContain('_');
  await expect(firstWrong.nth(1)).toHaveText(want.split('_')[0]!);
  await expect(page).toHaveURL(/rx\.breed=%5E%28\.%2B%3F%29_/);
  await page.reload();
  await hydratedDemo(page, 'regex-exercises');
  await expect(page.getByTestId('rx-breed-input')).toHaveValue('^(.+?)_');
  await expect(verdict).toContainText(`${names.length - multiWord} of ${names.length}`);
  // The answer, revealed on request and tried, labels every name.
  await page.getByTestId('rx-breed').getByText('Show an answer').click();
  await page.getByTestId('rx-breed').getByRole('button', { name: 'Try it' }).click();
  await expect(input).toHaveValue('(.+)_\\d+\\.jpg$');
  await expect(verdict).toHaveText(`All ${names.length} file names labelled as wanted.`);
  await expect(page.getByTestId('rx-breed-mismatches')).toHaveCount(0);
  await expect(page.locator('#regex-exercises [role="status"]')).toContainText('1 of 4 exercises solved');
  expect(errors).toEqual([]);
});

test('each exercise accepts its own answer; a hostile pattern is stopped and an invalid one named', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(`${PAGE}?rx.cats=(.%2B)%2Bz`);
  await hydratedDemo(page, 'regex-exercises');
  await expect(page.getByTestId('rx-cats-verdict')).toContainText(
    'This pattern takes too long (it may backtrack catastrophically)',
    { timeout: 10_000 },
  );
  for (const [id, answer] of [
    ['number', '_(\\d+)\\.jpg$'],
    ['first-word', '^(.+?)_'],
    ['cats', '^([A-Z].*)_\\d+\\.jpg$'],
  ] as const) {
    await page.getByTestId(`rx-${id}-input`).fill(answer);
    await expect(page.getByTestId(`rx-${id}-verdict`)).toHaveText(`All ${names.length} file names labelled as wanted.`);
  }
  await page.getByTestId('rx-number-input').fill('_(\\d+');
  await expect(page.getByTestId('rx-number-verdict')).toContainText('Not a valid regular expression');
  await expect(page.getByTestId('rx-number-input')).toHaveAttribute('aria-invalid', 'true');
  // Cats unanchored on the breed rule labels dogs too: wrong on exactly the dog names.
  await page.getByTestId('rx-cats-input').fill('(.+)_\\d+\\.jpg$');
  const dogs = names.filter((n) => /^[a-z]/.test(n)).length;
  await expect(page.getByTestId('rx-cats-verdict')).toHaveText(
    `${names.length - dogs} of ${names.length} file names labelled as wanted; ${dogs} not.`,
  );
  await expect(page.getByTestId('rx-cats-mismatches').locator('tbody tr').first().locator('td').nth(2)).toHaveText(
    'no match',
  );
  expect(errors).toEqual([]);
});
