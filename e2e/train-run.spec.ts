// Training in the browser: ResNet-S learns from the real pets pack in a worker on WebGPU, the page stays responsive
// (no main-thread task over 50 ms), stop works within a batch, and the trained model can be saved and exported.
import { expect, test } from './demo-test';
import { atClick, hydratedDemo, recordStatusOnClick } from './pages';

interface Watch {
  watch: { pressedAt: number; longTasks: { start: number; duration: number }[]; longFrames: string[] };
}

const QUICK = '/chapters/epochs-and-1cycle/?train.items=16&train.size=32&train.bs=8&train.lr=-2';

test('trains on WebGPU in a worker, lowers the training loss, and never blocks the page for 50 ms @alone', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // Forced: on the e2e browser's software adapter the page would choose wasm by itself.
  await page.goto(`${QUICK}&train.epochs=3&train.method=fit&backend=webgpu`);
  await hydratedDemo(page, 'train-run');
  // The other islands in view hydrate first (each import and mount is one task of its own, tens of ms on CI), so the
  // watch below sees the training's work only.
  await page.waitForFunction(() =>
    // An island is display: contents; its first element has the box.
    [...document.querySelectorAll('astro-island[ssr]')].every((el) => {
      const r = el.firstElementChild?.getBoundingClientRect();
      return !r || r.bottom <= 0 || r.top >= innerHeight;
    }),
  );
  await page.evaluate(() => new Promise((done) => requestIdleCallback(() => done(null), { timeout: 2000 })));
  // Every task from the press on, while the engine starts, the pack loads and the model trains, but the one that
  // handled the press (which also holds Playwright's hit-target checks). Each long frame is kept with what ran in it,
  // so a failure says whose work it was.
  await page.evaluate(() => {
    const w = window as unknown as Watch;
    w.watch = { pressedAt: -1, longTasks: [], longFrames: [] };
    addEventListener('click', () => (w.watch.pressedAt = performance.now()), { capture: true, once: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.watch.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      type Script = { invoker: string; duration: number; sourceURL: string; sourceFunctionName: string };
      for (const e of list.getEntries() as (PerformanceEntry & { scripts: Script[] })[])
        if (e.duration > 50)
          w.watch.longFrames.push(
            `${Math.round(e.duration)} ms at ${Math.round(e.startTime)}: ${e.scripts
              .map(
                (x) =>
                  `${x.invoker} ${Math.round(x.duration)} ms (${x.sourceFunctionName || '?'} in ${x.sourceURL.split('/').pop()})`,
              )
              .join(', ')}`,
          );
    }).observe({ type: 'long-animation-frame' });
  });
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  const status = page.locator('#train-run [role="status"]');
  await expect(status).toContainText('Done in', { timeout: 200_000 });
  await expect(page.locator('#train-run .demo-backend')).toHaveText('webgpu');
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(3);
  const losses = await page.getByTestId('epoch-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
  expect(Number(losses[2])).toBeLessThan(Number(losses[0]));
  const watch = await page.evaluate(() => (window as unknown as Watch).watch);
  expect(watch.pressedAt).toBeGreaterThan(0);
  const press = (t: { start: number; duration: number }) =>
    t.start <= watch.pressedAt && watch.pressedAt <= t.start + t.duration;
  const long = watch.longTasks.filter((t) => t.duration > 50 && !press(t)).map((t) => Math.round(t.duration));
  expect(
    long,
    `frames over 50 ms (the press at ${Math.round(watch.pressedAt)}): ${watch.longFrames.join('; ')}`,
  ).toEqual([]);

  await page.getByRole('button', { name: 'Save in this browser' }).click();
  await expect(status).toContainText('Saved in this browser');
  await page.getByRole('button', { name: 'Export weights' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download pets-resnet.petw' }).click();
  expect((await download).suggestedFilename()).toBe('pets-resnet.petw');
});

test('stops within one batch, and says so', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${QUICK}&train.epochs=10`);
  await hydratedDemo(page, 'train-run');
  await recordStatusOnClick(page, 'train-run');
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  const status = page.locator('#train-run [role="status"]');
  await expect(status).toContainText(/epoch \d+, batch \d of 2/, { timeout: 120_000 });
  await page.locator('#train-run').getByRole('button', { name: 'Stop' }).click();
  await expect(status).toContainText(/Stopped after \d+ batches/, { timeout: 60_000 });
  // What the page showed when the press happened, not when the test last read it: at these sizes a batch takes tens
  // of milliseconds, and several can go by while Playwright checks that the button is ready to be clicked.
  const [, epoch, batch] = /epoch (\d+), batch (\d)/.exec(await atClick(page))!;
  const shown = (Number(epoch) - 1) * 2 + Number(batch);
  // The batch running when Stop arrives is the last. One more may have ended on its way: its progress message was in
  // flight to the page, or the page had not yet drawn it, when the press happened.
  const stopped = Number(/Stopped after (\d+) batches/.exec(await status.innerText())![1]);
  expect(stopped).toBeGreaterThanOrEqual(shown);
  expect(stopped).toBeLessThanOrEqual(shown + 2);
});

for (const backend of ['webgl', 'wasm', 'cpu']) {
  test(`every fallback really trains: ${backend}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(
      `/chapters/epochs-and-1cycle/?backend=${backend}&train.items=16&train.size=24&train.bs=4&train.epochs=1&train.arch=resnet-tiny`,
    );
    await hydratedDemo(page, 'train-run');
    await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
    await expect(page.locator('#train-run [role="status"]')).toContainText('Done in', { timeout: 150_000 });
    await expect(page.locator('#train-run .demo-backend')).toHaveText(backend);
    await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(1);
    const loss = Number(await page.getByTestId('epoch-table').locator('tbody tr td:nth-child(2)').innerText());
    expect(loss).toBeGreaterThan(0);
    expect(Number.isFinite(loss)).toBe(true);
  });
}
