// The epochs lab: fit_one_cycle for N epochs on the real pets pack, the best epoch marked, then a fresh model with
// the same seed retrained for exactly that many epochs, and the two set side by side. The plan and the first run's
// learning-rate schedule render before JavaScript; the settings live in the URL.
import { expect, test, type Page } from '@playwright/test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/epochs-and-1cycle/';
const demo = (page: Page) => page.locator('#epochs-lab');

test('shows the plan, the schedule and the empty comparison before (and without) JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  await expect(page.getByTestId('es-plan')).toContainText(
    /A: fit_one_cycle\(6, lr_max=3\.2e-3\) on all \d+ training images, \d+ batches of 32 per epoch\./,
  );
  await expect(page.getByTestId('es-plan')).toContainText(
    'B: a fresh resnet-s, same seed, same images in the same order, fit_one_cycle(best epoch of A, lr_max=3.2e-3)',
  );
  // Three charts; only the learning-rate one has a line before anything trains (run A's 1cycle plan).
  await expect(demo(page).locator('figure.line-chart')).toHaveCount(3);
  await expect(demo(page).locator('figure.line-chart').nth(2).locator('path.series')).toHaveCount(1);
  await expect(page.getByTestId('es-compare')).toContainText('Both rows appear once run B has finished.');
  await expect(demo(page).getByRole('slider', { name: 'epochs of run A' })).toHaveValue('6');
  await context.close();
});

test('the epochs slider by keyboard changes the plan and the URL; a reload restores it', async ({ page }) => {
  await page.goto(`${PAGE}?es.items=64&es.bs=16`);
  await hydratedDemo(page, 'epochs-lab');
  await expect(page.getByTestId('es-plan')).toContainText(
    'on 64 training images (a quick run), 4 batches of 16 per epoch',
  );
  const epochs = demo(page).getByRole('slider', { name: 'epochs of run A' });
  await epochs.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/es\.epochs=7/);
  await expect(page.getByTestId('es-plan')).toContainText('A: fit_one_cycle(7, lr_max=3.2e-3)');
  const lr = demo(page).getByRole('slider', { name: /lr_max/ });
  await lr.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/es\.lr=-2\.6/);
  await page.reload();
  await hydratedDemo(page, 'epochs-lab');
  await expect(epochs).toHaveValue('7');
  await expect(lr).toHaveValue('-2.6');
  await expect(page.getByTestId('es-plan')).toContainText('A: fit_one_cycle(7, lr_max=2.5e-3) on 64 training images');
});

test('trains N epochs, marks the best, retrains exactly that many from scratch and compares the two (wasm)', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  await page.goto(`${PAGE}?backend=wasm&es.items=32&es.bs=8&es.size=24&es.epochs=3&es.arch=resnet-tiny`);
  await hydratedDemo(page, 'epochs-lab');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  // Progress over both runs from the start (run B's length planned at most A's until A has found its best epoch).
  const bar = demo(page).getByTestId('run-progress');
  await expect(bar).toContainText('% done', { timeout: 5_000 });
  await expect(bar).toContainText(/left in all/, { timeout: 120_000 });
  const status = demo(page).locator('[role="status"]');
  await expect(status).toContainText(/Done: best epoch \d of 3\./, { timeout: 220_000 });
  await expect(bar).toBeHidden();
  await expect(demo(page).locator('.demo-backend')).toHaveText('wasm');
  const best = Number(/Done: best epoch (\d) of 3/.exec(await status.innerText())![1]);
  expect(best).toBeGreaterThanOrEqual(1);
  expect(best).toBeLessThanOrEqual(3);

  const table = page.getByTestId('es-epochs');
  await expect(table.locator('tr[data-run="A"]')).toHaveCount(3);
  await expect(table.locator('tr[data-run="B"]')).toHaveCount(best);
  const marked = table.locator('tr[data-best]');
  await expect(marked).toHaveCount(1);
  await expect(marked.locator('td').nth(0)).toHaveText('A');
  await expect(marked.locator('td').nth(1)).toHaveText(String(best));
  await expect(marked.locator('td').nth(5)).toHaveText('best');
  const cells = async (row: ReturnType<Page['locator']>) => (await row.locator('td').allInnerTexts()).map(Number);
  const rowsA = await Promise.all([0, 1, 2].map((i) => cells(table.locator('tr[data-run="A"]').nth(i))));
  // The marked epoch has the lowest error_rate of run A.
  const errorsA = rowsA.map((r) => r[4]!);
  expect(errorsA[best - 1]).toBe(Math.min(...errorsA));

  const compare = page.getByTestId('es-compare');
  await expect(compare.locator('tbody tr')).toHaveCount(2);
  await expect(compare.locator('tr[data-row="stopped"] th')).toHaveText(
    `A stopped early, at its best epoch (${best} of 3)`,
  );
  await expect(compare.locator('tr[data-row="retrained"] th')).toHaveText(
    `B retrained from scratch for ${best} epochs`,
  );
  const [lrStopped, lossStopped, errorStopped] = await cells(compare.locator('tr[data-row="stopped"]'));
  const [lrRetrained, lossRetrained, errorRetrained] = await cells(compare.locator('tr[data-row="retrained"]'));
  // The early-stopped row is run A's best epoch; the retrained row is run B's last epoch.
  expect(lossStopped).toBe(rowsA[best - 1]![3]);
  expect(errorStopped).toBe(rowsA[best - 1]![4]);
  const lastB = await cells(table.locator('tr[data-run="B"]').nth(best - 1));
  expect(lossRetrained).toBe(lastB[3]);
  expect(errorRetrained).toBe(lastB[4]);
  for (const v of [lossStopped!, lossRetrained!]) expect(v).toBeGreaterThan(0);
  for (const v of [errorStopped!, errorRetrained!])
    (expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1));
  // Each row's learning rate is where its own 1cycle stood on the epoch's last batch (4 batches of 8 per epoch):
  // fastai's schedule written out here, warm-up over the first quarter, then the cosine down to lr_max / 1e5.
  const lrMax = 10 ** -2.5;
  const cos = (a: number, b: number, t: number) => a + ((1 + Math.cos(Math.PI * (1 - t))) * (b - a)) / 2;
  const lrAt = (step: number, total: number) => {
    const pos = step / total;
    return pos < 0.25 ? cos(lrMax / 25, lrMax, pos / 0.25) : cos(lrMax, lrMax / 1e5, (pos - 0.25) / 0.75);
  };
  const close = (shown: number, want: number) => expect(Math.abs(shown - want) / want).toBeLessThan(0.06); // 2 digits shown
  close(lrStopped!, lrAt(4 * best - 1, 12));
  close(lrRetrained!, lrAt(4 * best - 1, 4 * best));
  // Both runs on the error and loss charts, B's lr schedule drawn beside A's.
  // (a run of one epoch is a single point, drawn as a dot).
  const bMark = best > 1 ? 'path.series' : 'circle.series-dot';
  for (const n of [0, 1]) {
    await expect(demo(page).locator('figure.line-chart').nth(n).locator('path.series')).toHaveCount(1);
    await expect(demo(page).locator('figure.line-chart').nth(n).locator(bMark)).toHaveCount(1);
  }
  await expect(demo(page).locator('figure.line-chart').nth(2).locator('path.series')).toHaveCount(2);
  console.log(
    `epochs-lab e2e run: A=${JSON.stringify(rowsA)} best=${best} B last=${JSON.stringify(lastB)} lr stopped=${lrStopped} retrained=${lrRetrained}`,
  );
  expect(problems).toEqual([]);
});

test('Stop during run A keeps what it trained and does not start run B; Reset clears it', async ({ page }) => {
  test.setTimeout(300_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  // The default backend (WebGPU here): on wasm the worker does not yet see a stop until the run ends (being fixed in
  // the worker, not in this demo).
  await page.goto(`${PAGE}?es.items=64&es.bs=4&es.size=24&es.epochs=12&es.arch=resnet-tiny`);
  await hydratedDemo(page, 'epochs-lab');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  const status = demo(page).locator('[role="status"]');
  // Stopped in epoch 2, so epoch 1 is in the table.
  await expect(status).toContainText(/Run A: epoch 2 of 12, batch \d+ of 16/, { timeout: 240_000 });
  await demo(page).getByRole('button', { name: 'Stop' }).click();
  await expect(status).toContainText('Stopped; what finished is kept above', { timeout: 60_000 });
  const table = page.getByTestId('es-epochs');
  expect(await table.locator('tr[data-run="A"]').count()).toBeGreaterThanOrEqual(1);
  await expect(table.locator('tr[data-run="B"]')).toHaveCount(0);
  await expect(table.locator('tr[data-best] td').nth(5)).toHaveText('best so far');
  await expect(page.getByTestId('es-compare')).toContainText('Both rows appear once run B has finished.');
  await demo(page).getByRole('button', { name: 'Reset' }).click();
  await expect(status).toHaveText('Reset.');
  await expect(table).toContainText('No epoch finished yet.');
  await expect(page).not.toHaveURL(/es\./);
  expect(problems).toEqual([]);
});
