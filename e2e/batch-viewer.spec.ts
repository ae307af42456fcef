// show_batch on the real pets pack (prepared from the shared sample by the build): static summary, a real batch
// with correct labels on WebGPU and on the CPU fallback, state in the URL, a clear message when data is missing.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/presizing/';
const manifest = JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as {
  classes: string[];
  images: { split: string }[];
};

async function showBatch(page: Page) {
  await hydratedDemo(page, 'show-batch');
  await page.getByRole('button', { name: 'Show a batch' }).click();
  await expect(page.locator('#show-batch canvas')).toHaveCount(12, { timeout: 90_000 });
}

/** Every image's caption is the breed its file name says, and every image has real content. */
async function expectRealLabelledPets(page: Page) {
  const items = page.locator('#show-batch canvas');
  for (let i = 0; i < 12; i++) {
    const canvas = items.nth(i);
    const file = (await canvas.getAttribute('data-file'))!;
    const breed = /(.+)_\d+.jpg$/.exec(file)![1]!;
    expect(manifest.classes).toContain(breed);
    await expect(canvas.locator('xpath=..')).toHaveAttribute('aria-label', breed.replaceAll('_', ' '));
    const spread = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let min = 255,
        max = 0;
      for (let k = 0; k < d.length; k += 4) {
        min = Math.min(min, d[k]!);
        max = Math.max(max, d[k]!);
      }
      return max - min;
    });
    expect(spread, `${file} looks blank`).toBeGreaterThan(40);
  }
}

test('without JavaScript it describes the real pack and leaves room for the batch', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const train = manifest.images.filter((im) => im.split === 'train').length;
  await expect(page.locator('#show-batch')).toContainText(
    `${manifest.images.length} images of ${manifest.classes.length} breeds (${train} for training`,
  );
  await expect(page.locator('#show-batch .placeholder')).toHaveCount(12);
  await context.close();
});

test('shows a batch of real pets with their labels on WebGPU', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Forced: on the e2e browser's software adapter the page would choose wasm by itself.
  await page.goto(`${PAGE}${PAGE.includes('?') ? '&' : '?'}backend=webgpu`);
  await showBatch(page);
  await expect(page.locator('#show-batch .demo-backend')).toHaveText('webgpu');
  await expect(page.locator('#show-batch [role="status"]')).toContainText(/batch step .* took \d+ ms on webgpu/);
  await expectRealLabelledPets(page);

  const firstNames = await page
    .locator('#show-batch canvas')
    .evaluateAll((cs) => cs.map((c) => c.getAttribute('data-file')));
  await page.getByRole('button', { name: 'Re-roll' }).click();
  await expect(page).toHaveURL(/batch\.seed=2/);
  await expect
    .poll(() => page.locator('#show-batch canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-file'))))
    .not.toEqual(firstNames);
  expect(errors).toEqual([]);
});

test('falls back to the CPU and still shows the batch, validation items centre-cropped', async ({ page }) => {
  await page.goto(`${PAGE}?backend=cpu&batch.split=valid`);
  await showBatch(page);
  await expect(page.locator('#show-batch .demo-backend')).toHaveText('cpu');
  await expect(page.locator('#show-batch [role="status"]')).toContainText('centre crop');
  // The intro names the backend as a backend: "here on the cpu backend", never "on your cpu" (or "your webgpu").
  await expect(page.getByTestId('batch-where')).toHaveText(', here on the cpu backend');
  await expect(page.locator('#show-batch .intro')).not.toContainText('on your');
  await expectRealLabelledPets(page);
});

test('says clearly when the data pack is missing, and the page keeps working', async ({ page }) => {
  await page.route('**/data/pets/manifest.json', (route) => route.fulfill({ status: 404, body: 'missing' }));
  await page.goto(PAGE);
  await hydratedDemo(page, 'show-batch');
  await page.getByRole('button', { name: 'Show a batch' }).click();
  await expect(page.locator('#show-batch [role="status"]')).toContainText(
    'Could not show a batch: No data pack at /data/pets/ (HTTP 404). Run npm run data to prepare it.',
    { timeout: 60_000 },
  );
  await expect(page.getByRole('button', { name: 'Show a batch' })).toBeEnabled();
});

test('the same seed gives the same batch, and the pack comes from the cache the second time', async ({ page }) => {
  const shardRequests: string[] = [];
  page.on('requestfinished', async (r) => {
    if (!/shard-\d+\.bin/.test(r.url())) return;
    // A response served by the Cache API does not reach the network; count only real network fetches.
    const response = await r.response();
    if (response && !response.fromServiceWorker()) shardRequests.push(r.url());
  });
  await page.goto(`${PAGE}?batch.seed=7`);
  await showBatch(page);
  const names = await page
    .locator('#show-batch canvas')
    .evaluateAll((cs) => cs.map((c) => c.getAttribute('data-file')));
  const fetched = shardRequests.length;
  expect(fetched).toBeGreaterThan(0);
  await page.reload();
  await showBatch(page);
  expect(
    await page.locator('#show-batch canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-file'))),
  ).toEqual(names);
  expect(shardRequests.length).toBe(fetched);
  expect(await page.evaluate(async () => (await (await caches.open('pets-packs-v1')).keys()).length)).toBeGreaterThan(
    0,
  );
});
