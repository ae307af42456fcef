// The training benchmark on the Performance page: the same measurement as npm run bench, in the engine's worker.
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

test('without JavaScript the benchmark says what it measures', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/performance/?bench.batch=4&bench.size=32');
  await expect(page.locator('#train-bench caption')).toContainText('batch 16 at 64 px'); // defaults until the island reads the URL
  await expect(page.locator('#train-bench').getByRole('button', { name: 'Run' })).toBeAttached();
  await context.close();
});

test('times stock and our kernels on WebGPU, counts dispatches, and keeps its settings in the URL', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // Forced: on the e2e browser's software adapter the page would choose wasm by itself.
  await page.goto('/performance/?backend=webgpu&bench.arch=resnet-tiny&bench.batch=1&bench.size=16&bench.steps=1');
  await hydratedDemo(page, 'train-bench');
  const frame = page.locator('#train-bench');
  await expect(frame.locator('caption')).toContainText('resnet-tiny on synthetic images, batch 1 at 16 px');
  await frame.getByLabel('Batch size').selectOption('4');
  await expect(page).toHaveURL(/bench\.batch=4/);
  await frame.getByLabel('Batch size').selectOption('1');
  await frame.getByRole('button', { name: 'Run' }).click();
  const table = page.getByTestId('train-bench-result');
  await expect(table).not.toHaveAttribute('data-result', '', { timeout: 280_000 });
  const results = JSON.parse((await table.getAttribute('data-result'))!) as {
    kernels: string;
    backend: string;
    imagesPerS: number;
    msPerStep: number;
    hostMsPerStep: number;
    dispatchesPerStep: number;
    inferenceDispatches: number;
  }[];
  expect(results.map((r) => r.kernels)).toEqual(['stock', 'ours']);
  const [stock, ours] = results;
  expect(stock!.backend).toBe('webgpu');
  for (const r of results) {
    expect(r.imagesPerS).toBeGreaterThan(0);
    // Recording a step on the CPU is part of the step.
    expect(r.hostMsPerStep).toBeGreaterThan(0);
    expect(r.hostMsPerStep).toBeLessThanOrEqual(r.msPerStep);
  }
  expect(ours!.dispatchesPerStep).toBeLessThan(stock!.dispatchesPerStep / 3);
  expect(ours!.inferenceDispatches).toBeLessThan(stock!.inferenceDispatches);
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(frame.locator('[role="status"]')).toContainText('our kernels train at');
});

/** The benchmark of a tiny model on wasm, `steps` timed steps, pausing after each for its driver. */
const pausedBench = (steps: number) =>
  `/performance/?backend=wasm&bench.arch=resnet-tiny&bench.batch=1&bench.size=16&bench.steps=${steps}&bench.kernels=ours&bench.pause=after-steps`;

test('paused after each timed step, it waits for its driver and leaves the wait out of the step', async ({ page }) => {
  test.setTimeout(120_000);
  let calls = 0;
  await page.exposeFunction('benchBetweenSteps', async () => {
    calls++;
    await new Promise((go) => setTimeout(go, 2_000));
  });
  await page.goto(pausedBench(2));
  await hydratedDemo(page, 'train-bench');
  const frame = page.locator('#train-bench');
  await frame.getByRole('button', { name: 'Run' }).click();
  const table = page.getByTestId('train-bench-result');
  await expect(table).not.toHaveAttribute('data-result', '', { timeout: 100_000 });
  const [ours] = JSON.parse((await table.getAttribute('data-result'))!) as { kernels: string; msPerStep: number }[];
  expect(ours!.kernels).toBe('ours');
  expect(calls).toBe(2); // once after each timed step
  expect(ours!.msPerStep).toBeLessThan(2_000);
});

test('a Stop while it waits for its driver stops the measurement', async ({ page }) => {
  test.setTimeout(120_000);
  let calls = 0;
  await page.exposeFunction('benchBetweenSteps', () => {
    calls++;
    return new Promise(() => {}); // a driver that never answers
  });
  await page.goto(pausedBench(3));
  await hydratedDemo(page, 'train-bench');
  const frame = page.locator('#train-bench');
  await frame.getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => calls, { timeout: 100_000 }).toBe(1);
  await frame.getByRole('button', { name: 'Stop' }).click();
  await expect(frame.locator('[role="status"]')).toContainText('Stopped; nothing was measured.');
  await expect(page.getByTestId('train-bench-result')).toHaveAttribute('data-result', '');
  expect(calls).toBe(1);
});

test('without a driver a paused measurement goes straight on', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(pausedBench(2));
  await hydratedDemo(page, 'train-bench');
  await page.locator('#train-bench').getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('train-bench-result')).not.toHaveAttribute('data-result', '', { timeout: 100_000 });
});
