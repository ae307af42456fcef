// The softmax lab: static rendering without JavaScript, keyboard control, state in the URL, the chapter's numbers.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/softmax/';

test('renders statically before (and without) JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const lab = page.locator('#softmax-lab');
  await expect(lab.locator('svg rect')).toHaveCount(6); // exp and softmax bars for the 3 default classes
  await expect(lab.getByTestId('softmax-sum')).toContainText('1.0000');
  await context.close();
});

test('a slider moved by keyboard changes the chart and the URL, and the URL restores it', async ({ page }) => {
  await page.goto(PAGE);
  const lab = page.locator('#softmax-lab');
  await hydratedDemo(page, 'softmax-lab');
  const slider = page.getByRole('slider', { name: 'Activation 2' });
  await expect(slider).toBeVisible();
  const before = await lab.locator('table').first().innerText();
  await slider.focus();
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/softmax\.acts=0\.6734%2C0\.2576%2C2\.2/);
  await expect(slider).toHaveAttribute('aria-valuetext', '2.20');
  const after = await lab.locator('table').first().innerText();
  expect(after).not.toBe(before);
  await expect(page.locator('#softmax-lab [role="status"]')).toContainText('class 2 takes');

  await page.reload();
  await hydratedDemo(page, 'softmax-lab');
  await expect(page.getByRole('slider', { name: 'Activation 2' })).toHaveAttribute('aria-valuetext', '2.20');

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page).toHaveURL(/\/chapters\/softmax\/$/);
});

test('adding the same constant to every activation changes nothing', async ({ page }) => {
  await page.goto(`${PAGE}?softmax.shift=3`);
  const lab = page.locator('#softmax-lab');
  await hydratedDemo(page, 'softmax-lab');
  await expect(page.getByRole('slider', { name: 'Add to all' })).toHaveAttribute('aria-valuetext', '3.00');
  const shares = lab.locator('figure', { hasText: 'softmax: share' }).locator('table td');
  const shifted = await shares.allInnerTexts();
  await page.getByRole('slider', { name: 'Add to all' }).fill('0');
  expect(await shares.allInnerTexts()).toEqual(shifted);
});

test("the chapter's preset shows the reference softmax numbers and sigmoid equals softmax column 0", async ({
  page,
}) => {
  await page.goto(PAGE);
  const lab = page.locator('#softmax-lab');
  await hydratedDemo(page, 'softmax-lab');
  await lab.getByText("The chapter's six items").click();
  const rows = lab.getByTestId('chapter-softmax').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  const expected = [
    ['0.6025', '0.3975'],
    ['0.5021', '0.4979'],
    ['0.1332', '0.8668'],
    ['0.9966', '0.0034'],
    ['0.5959', '0.4041'],
    ['0.3661', '0.6339'],
  ];
  for (const [i, [p0, p1]] of expected.entries()) {
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    expect(cells.slice(3, 6)).toEqual([p0, p1, p0]);
  }
  await lab.getByRole('button', { name: 'Load item 3 into the sliders' }).click();
  await expect(page).toHaveURL(/softmax\.acts=4\.4164%2C-1\.276/);
  await expect(lab.getByTestId('sigmoid-check')).toContainText('0.9966');
  await expect(lab.getByTestId('sigmoid-check')).toContainText('softmax₀ = 0.9966');
});

test('bad URL values fall back to defaults instead of breaking the page', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${PAGE}?softmax.acts=abc,1&softmax.temp=-9`);
  await hydratedDemo(page, 'softmax-lab');
  await expect(page.getByRole('slider', { name: 'Activation 2' })).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Temperature' })).toHaveAttribute('aria-valuetext', '0.10');
  expect(errors).toEqual([]);
});
