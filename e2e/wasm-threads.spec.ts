// Threads on wasm: where the page is cross-origin isolated (our server sends COOP/COEP), TF.js's threaded wasm build
// trains on all cores but one by default (one on CI's two), on ?threads=N when asked, and the demo says how many. On
// a host that sends no such headers the page is not isolated, the demo says it computes on one thread and why, and
// once the offline service worker controls the page it adds the headers itself: after a reload the same page is
// isolated and trains on the threads asked for.
import { expect, test, type Page } from '@playwright/test';
import type { Server } from 'node:http';
import { serve } from '../scripts/serve.mjs';
import { hydratedDemo } from './pages';

const TINY =
  '/chapters/epochs-and-1cycle/?backend=wasm&train.items=16&train.size=24&train.bs=4&train.epochs=1&train.arch=resnet-tiny&train.method=fit';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Trains the tiny run to the end and returns what the demo says about its backend. */
async function trainTiny(page: Page): Promise<string> {
  await hydratedDemo(page, 'train-run');
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('#train-run [role="status"]')).toContainText('Done in', { timeout: 150_000 });
  await expect(page.locator('#train-run .demo-backend')).toHaveText('wasm');
  return page.locator('#train-run .demo-notice').innerText();
}

/** The threads the page asks for by default: all cores the browser reports but one, at most 9 (wasm-threads.ts). */
const expectedThreads = (page: Page) =>
  page.evaluate(() => Math.max(1, Math.min((navigator.hardwareConcurrency || 1) - 1, 9)));

const threadsText = (n: number) =>
  n === 1 ? 'WebAssembly computes on one CPU thread.' : `WebAssembly computes on ${n} CPU threads.`;

test('isolated by our server, wasm trains on two threads with ?threads=2, and on its default', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const response = await page.goto(TINY);
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await expectedThreads(page);
  expect(await trainTiny(page)).toContain(threadsText(cores));

  await page.goto(`${TINY}&threads=2`);
  expect(await trainTiny(page)).toContain(threadsText(2));
  expect(errors).toEqual([]);
});

test.describe('on a host that sends no isolation headers', () => {
  test.use({ serviceWorkers: 'allow' });
  let server: Server;
  let base = '';
  test.beforeAll(async () => {
    server = await serve({ port: 0, isolation: false });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  test.afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  test('wasm says it runs on one thread and why; the service worker isolates the next visit', async ({ page }) => {
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    const response = await page.goto(`${base}${TINY}&threads=2`);
    expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const notice = await trainTiny(page);
    expect(notice).toContain('WebAssembly computes on one CPU thread: threads need a cross-origin isolated page');
    expect(notice).toContain('no COOP/COEP headers');

    // The offline copy installs; from then on the service worker answers with the headers.
    await expect(page.locator('[data-offline-status]')).toContainText('Available offline', { timeout: 60_000 });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await trainTiny(page)).toContain(threadsText(2));
    expect(errors).toEqual([]);
  });
});
