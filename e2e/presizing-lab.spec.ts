// The presizing lab: a real pets image augmented two ways, fewer interpolations on fastai's side, state in the URL,
// and the reader's own photo handled locally.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/presizing/';

test('without JavaScript the lab is described and its controls are present', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  await expect(page.locator('#presizing-lab')).toContainText('step by step');
  await expect(page.locator('#presizing-lab select option')).toHaveCount(13);
  await context.close();
});

test("a pets image shows fewer interpolations on fastai's side; sliders and image live in the URL", async ({
  page,
}) => {
  await page.goto(PAGE);
  await hydratedDemo(page, 'presizing-lab');
  const select = page.locator('#presizing-lab select');
  const name = (await select.locator('option').nth(2).getAttribute('value'))!;
  await select.selectOption(name);
  const status = page.locator('#presizing-lab [role="status"]');
  await expect(status).toContainText('fastai resampled 1 time, step by step 4 times', { timeout: 60_000 });
  expect(Number(await page.getByTestId('pz-fastai-count').innerText())).toBeLessThan(
    Number(await page.getByTestId('pz-naive-count').innerText()),
  );
  await expect(page).toHaveURL(new RegExp(`pz\\.image=${name.replace('.', '\\.')}`));
  const slider = page.getByRole('slider', { name: 'rotate (°)' });
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/pz\.rotate=25/);
  const before = await status.innerText();
  await page.reload();
  await hydratedDemo(page, 'presizing-lab');
  await expect(page.getByRole('slider', { name: 'rotate (°)' })).toHaveAttribute('aria-valuetext', '25');
  await expect(status).toHaveText(before, { timeout: 60_000 });
});

test("the reader's own photo is used without leaving the page", async ({ page }) => {
  const uploads: string[] = [];
  page.on('request', (r) => r.method() !== 'GET' && uploads.push(r.url()));
  await page.goto(PAGE);
  await hydratedDemo(page, 'presizing-lab');
  await page
    .locator('#presizing-lab input[type=file]')
    .setInputFiles({ name: 'my-cat.png', mimeType: 'image/png', buffer: readFileSync('public/og-card.png') });
  await expect(page.locator('#presizing-lab [role="status"]')).toContainText('my-cat.png: fastai resampled 1 time');
  expect(uploads).toEqual([]);
});
