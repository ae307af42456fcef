// Offline: after one visit the service worker (dist/sw.js, scripts/build-sw.mjs) has the chapters, their demos, the
// TF.js wasm binaries and the pretrained body; the pets pack is kept by the pack loader once a demo has used it. With
// the network gone, a reload still shows the page, the softmax lab still works, a tiny training run on wasm still
// trains, and the pretrained body still loads. The footer says the site is available offline.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

test.use({ serviceWorkers: 'allow' });

const TRAIN =
  '/chapters/epochs-and-1cycle/?backend=wasm&train.items=16&train.size=24&train.bs=4&train.epochs=1&train.arch=resnet-tiny&train.method=fit';

async function trainOnce(page: import('@playwright/test').Page) {
  await hydratedDemo(page, 'train-run');
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  // A finished epoch is a row of five numbers in fastai's table (the empty table has one cell).
  await expect(page.getByTestId('epoch-table').locator('tbody tr').first().locator('td')).toHaveCount(5, {
    timeout: 150_000,
  });
}

test('after one visit the chapters, their demos, the pack and the pretrained body work offline', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  // One visit, online: the service worker installs and precaches; one tiny run puts the pack in the pack loader's cache.
  await page.goto(TRAIN);
  // The footer speaks once the worker is active (its precache complete).
  await expect(page.locator('[data-offline-status]')).toContainText('Available offline', { timeout: 60_000 });
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await trainOnce(page);

  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  // The page reloads from the service worker, with the state in its URL, and trains again on the cached pack.
  await page.reload();
  await expect(page.locator('h1')).toBeVisible();
  await trainOnce(page);

  // The pretrained body the fine-tuning chapters start from is there too, all of it.
  const body = await page.evaluate(async () => {
    const r = await fetch('/models/resnet-s-imagenette.petw');
    return { ok: r.ok, bytes: (await r.arrayBuffer()).byteLength };
  });
  expect(body.ok).toBe(true);
  expect(body.bytes).toBeGreaterThan(1_000_000);

  // Another chapter, never opened before, and its demo: the softmax lab answers a key press.
  await page.goto('/chapters/softmax/');
  await hydratedDemo(page, 'softmax-lab');
  const slider = page.getByRole('slider', { name: 'Activation 2' });
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/softmax\.acts=/);
  await expect(page.locator('[data-offline-status]')).toContainText('Available offline');
  expect(errors).toEqual([]);
});
