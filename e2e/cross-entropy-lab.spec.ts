// The cross-entropy lab: static rendering, the chapter's numbers (mean 1.8045), keyboard control, state in the URL.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/cross-entropy/';

test("renders without JavaScript with the chapter's losses and their mean", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const rows = page.getByTestId('chapter-ce').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  const losses = await rows.locator('td:nth-child(8)').allInnerTexts();
  expect(losses).toEqual(['0.5067', '0.6973', '2.0160', '5.6958', '0.9062', '1.0048']);
  const picked = await rows.locator('td:nth-child(7)').allInnerTexts();
  expect(picked).toEqual(['0.6025', '0.4979', '0.1332', '0.0034', '0.4041', '0.3661']);
  await expect(page.getByTestId('ce-mean')).toHaveText('1.8045');
  await context.close();
});

test('moving an activation by keyboard changes the loss and the URL; the link restores it', async ({ page }) => {
  await page.goto(PAGE);
  await hydratedDemo(page, 'cross-entropy-lab');
  const numbers = page.getByTestId('ce-numbers');
  const before = await numbers.innerText();
  const slider = page.getByRole('slider', { name: 'Activation 0' });
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/ce\.acts=2\.2%2C-0\.4%2C2\.1/);
  expect(await numbers.innerText()).not.toBe(before);
  await page.getByRole('radio', { name: 'class 2' }).check();
  await expect(page).toHaveURL(/ce\.target=2/);
  const text = await numbers.innerText();
  await page.reload();
  await hydratedDemo(page, 'cross-entropy-lab');
  await expect(page.getByTestId('ce-numbers')).toHaveText(text);
  await expect(page.getByRole('radio', { name: 'class 2' })).toBeChecked();
});

test("loading the chapter's fourth item shows its loss of 5.6958", async ({ page }) => {
  await page.goto(PAGE);
  await hydratedDemo(page, 'cross-entropy-lab');
  await page.getByRole('button', { name: 'Load item 3' }).click();
  await expect(page.getByTestId('ce-numbers')).toContainText('p(target) = 0.0034, loss = −log p = 5.6958');
});
