// The demos draw what the chapters' text says they show: run B's learning-rate plan beside run A's in the fine-tuning
// lab (with lr_mult 1 its three group lines lie on top of each other once the body is unfrozen), and in the training
// demo the momentum of every batch and the training and validation loss of every epoch.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

/** The y coordinates of a d3 line path ("M x,y L x,y ..."). */
const ys = (d: string) => [...d.matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map((m) => Number(m[2]));

test("the fine-tuning lab draws both runs' plans, before JavaScript too; with lr_mult 1 run B's three lines coincide once unfrozen", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/chapters/discriminative-learning-rates/');
  const lines = async (run: 'a' | 'b') =>
    page
      .getByTestId(`ft-plan-${run}`)
      .locator('svg path.series')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
  const a = await lines('a');
  const b = await lines('b');
  expect(a).toHaveLength(3);
  expect(b).toHaveLength(3);
  // fine_tune(2) after one frozen epoch: the last two thirds of each plan are the unfrozen phase; its last third is
  // safely inside it. Run A (discriminative rates): three different lines there. Run B (lr_mult 1): one line, thrice.
  const unfrozen = (d: (string | null)[]) => d.map((x) => JSON.stringify(ys(x!).slice(-Math.floor(ys(x!).length / 3))));
  expect(new Set(unfrozen(a)).size).toBe(3);
  expect(new Set(unfrozen(b)).size).toBe(1);
  await expect(page.getByTestId('ft-plan-b')).toContainText('Learning rate of each parameter group in run B');
  await expect(page.getByTestId('ft-plan-b')).toContainText('the three lines lie on top of each other');
  await context.close();
});

test("the fine-tuning lab redraws run B's plan when run B changes", async ({ page }) => {
  await page.goto('/chapters/transfer-learning/');
  await hydratedDemo(page, 'fine-tune-lab');
  const xTicks = () => page.getByTestId('ft-plan-b').locator('svg text.tick').allInnerTexts();
  const before = await page.getByTestId('ft-plan-b').locator('svg path.series').first().getAttribute('d');
  await page.locator('#fine-tune-lab select').first().selectOption('no-freeze');
  await expect(page.getByTestId('ft-plan-b')).toContainText('never frozen');
  await expect
    .poll(() => page.getByTestId('ft-plan-b').locator('svg path.series').first().getAttribute('d'))
    .not.toBe(before);
  expect((await xTicks()).length).toBeGreaterThan(2);
});

test('the training demo charts momentum per batch and train and valid loss per epoch', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(
    '/chapters/epochs-and-1cycle/?backend=wasm&train.items=16&train.size=24&train.bs=4&train.epochs=2&train.arch=resnet-tiny',
  );
  await hydratedDemo(page, 'train-run');
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  const table = page.getByTestId('epoch-table');
  await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 200_000 });
  await expect(table.locator('tbody tr').nth(1).locator('td')).toHaveCount(5);

  const charts = page.locator('#train-run figure.line-chart');
  const momentum = charts.filter({ hasText: 'Momentum' });
  const perEpoch = charts.filter({ hasText: 'Training and validation loss per epoch' });
  await expect(momentum).toHaveCount(1);
  await expect(perEpoch).toHaveCount(1);
  // fit_one_cycle's momentum goes from 0.95 down to 0.85 and back: the line is not flat, and its values are in range.
  const mom = await momentum.locator('path.series').evaluate((p) => (p as SVGPathElement).getBBox().height);
  expect(mom).toBeGreaterThan(20);
  const last = await momentum.locator('.visually-hidden td').first().innerText();
  const value = Number(/: ([\d.]+)$/.exec(last)![1]);
  expect(value).toBeGreaterThanOrEqual(0.85);
  expect(value).toBeLessThanOrEqual(0.95);
  // Two lines, one point per finished epoch, matching the table's last valid_loss.
  await expect(perEpoch.locator('path.series')).toHaveCount(2);
  const validLast = await perEpoch.locator('.visually-hidden tr', { hasText: 'valid_loss' }).locator('td').innerText();
  const tableValid = await table.locator('tbody tr').nth(1).locator('td').nth(2).innerText();
  expect(validLast).toBe(`epoch 1: ${Number(tableValid).toFixed(4)}`);
});
