// The training demos' lifecycle on the wasm backend, at tiny sizes: quick runs at the default batch size run (the
// batch fits the images and the status says so), Stop takes effect within one batch (also before the first batch,
// in the benchmark and while interpretation predicts), Reset stops the run before clearing, progress shows from the
// first second, and no console error happens at any moment (the demo-test fixture).
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test } from './demo-test';
import { atClick, hydratedDemo, recordStatusOnClick } from './pages';

const manifest = JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as { images: { split: string }[] };
const VALID = manifest.images.filter((im) => im.split === 'valid').length;

const status = (page: Page, id: string) => page.locator(`#${id} [role="status"]`);
const button = (page: Page, id: string, name: string) =>
  page.locator(`#${id}`).getByRole('button', { name, exact: true });

async function open(page: Page, url: string, id: string): Promise<void> {
  await page.goto(url);
  await hydratedDemo(page, id);
}

test.describe('quick runs at the default batch size (32) with 16 images', () => {
  test('Train ResNet-S: fits the batch, shows progress from the first second, names the validation share', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/epochs-and-1cycle/?backend=wasm&train.items=16&train.size=24&train.epochs=2&train.arch=resnet-tiny',
      'train-run',
    );
    await button(page, 'train-run', 'Run').click();
    const bar = page.locator('#train-run').getByTestId('run-progress');
    await expect(bar).toBeVisible({ timeout: 1_500 });
    await expect(bar).toContainText('% done');
    await expect(bar.locator('progress')).toBeAttached();
    await expect(status(page, 'train-run')).toContainText('Done in', { timeout: 120_000 });
    await expect(status(page, 'train-run')).toContainText(`on 16 of ${VALID} validation images`);
    await expect(status(page, 'train-run')).toContainText(
      'batch size 16, not 32: the 16 training images chosen are fewer than one batch of 32',
    );
    await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(2);
    await expect(page.locator('#train-run .demo-backend')).toHaveText('wasm');
  });

  test('LR finder', async ({ page }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/lr-finder/?backend=wasm&lrf.items=16&lrf.size=24&lrf.numIt=10&lrf.arch=resnet-tiny',
      'lr-finder',
    );
    await button(page, 'lr-finder', 'Run').click();
    await expect(page.locator('#lr-finder').getByTestId('run-progress')).toBeVisible({ timeout: 1_500 });
    await expect(status(page, 'lr-finder')).toContainText('the weights are back as they were', { timeout: 120_000 });
    await expect(status(page, 'lr-finder')).toContainText(
      'Batch size 16: the 16 training images chosen are fewer than one batch of 32',
    );
    expect(await page.getByTestId('lr-suggestions').locator('td').allInnerTexts()).not.toContain('NaN');
  });

  test('fine_tune, two ways', async ({ page }) => {
    test.setTimeout(200_000);
    await open(
      page,
      '/chapters/transfer-learning/?backend=wasm&ft.items=16&ft.size=24&ft.epochs=1&ft.freeze=1',
      'fine-tune-lab',
    );
    await button(page, 'fine-tune-lab', 'Run').click();
    await expect(page.locator('#fine-tune-lab').getByTestId('run-progress')).toBeVisible({ timeout: 1_500 });
    await expect(status(page, 'fine-tune-lab')).toContainText('Done: error rate', { timeout: 180_000 });
    await expect(status(page, 'fine-tune-lab')).toContainText(
      `on 16 of ${VALID} validation images (batch size 16, not 32`,
    );
    await expect(page.getByTestId('ft-epochs').locator('tbody tr')).toHaveCount(4);
  });

  test('architecture comparison', async ({ page }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/deeper-architectures/?backend=wasm&arch.items=16&arch.size=24&arch.epochs=1&arch.a=resnet-tiny&arch.b=resnet-tiny',
      'arch-compare',
    );
    await button(page, 'arch-compare', 'Run').click();
    await expect(page.locator('#arch-compare').getByTestId('run-progress')).toBeVisible({ timeout: 1_500 });
    await expect(status(page, 'arch-compare')).toContainText('Done: resnet-tiny', { timeout: 120_000 });
    await expect(status(page, 'arch-compare')).toContainText(
      `on 16 of ${VALID} validation images (batch size 16, not 32`,
    );
  });

  test('interpretation: fine-tunes, then says how long prediction and the whole run took', async ({ page }) => {
    test.setTimeout(200_000);
    await open(
      page,
      '/chapters/interpretation/?backend=wasm&interp.items=16&interp.model=fine-tune&interp.k=2',
      'interpretation-lab',
    );
    await button(page, 'interpretation-lab', 'Run').click();
    await expect(page.locator('#interpretation-lab').getByTestId('run-progress')).toBeVisible({ timeout: 1_500 });
    await expect(status(page, 'interpretation-lab')).toContainText('accuracy', { timeout: 180_000 });
    const text = await status(page, 'interpretation-lab').innerText();
    const [, predicted, whole] = /predicted in ([\d.]+) s \((\d+) s for the whole run\)/.exec(text)!;
    expect(Number(whole)).toBeGreaterThanOrEqual(Math.floor(Number(predicted)));
  });
});

test.describe('Stop within one batch on wasm', () => {
  test('Train: the batches done stay at most one past the batch shown when Stop was pressed', async ({ page }) => {
    test.setTimeout(150_000);
    // Batches long enough (ResNet-S, 8 images of 32 px) that a message in flight between worker and page is not a batch.
    await open(
      page,
      '/chapters/epochs-and-1cycle/?backend=wasm&train.items=64&train.bs=8&train.size=32&train.epochs=20&train.method=fit',
      'train-run',
    );
    await recordStatusOnClick(page, 'train-run');
    await button(page, 'train-run', 'Run').click();
    // From epoch 3 every image is decoded and cached: the loop then has nothing that waits on the event loop.
    await expect(status(page, 'train-run')).toContainText(/epoch ([3-9]|1\d), batch \d+ of 8/, { timeout: 120_000 });
    await button(page, 'train-run', 'Stop').click();
    await expect(status(page, 'train-run')).toContainText(/Stopped after \d+ batches/, { timeout: 30_000 });
    const [, epoch, batch] = /epoch (\d+), batch (\d+) of 8/.exec(await atClick(page))!;
    const shown = (Number(epoch) - 1) * 8 + Number(batch);
    const stopped = Number(/Stopped after (\d+) batches/.exec(await status(page, 'train-run').innerText())![1]);
    expect(stopped).toBeGreaterThanOrEqual(shown);
    expect(stopped).toBeLessThanOrEqual(shown + 1);
  });

  test('LR finder: a stopped sweep says so, within one batch, and suggests nothing it cannot compute', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/lr-finder/?backend=wasm&lrf.items=64&lrf.bs=4&lrf.size=24&lrf.numIt=200&lrf.arch=resnet-tiny',
      'lr-finder',
    );
    await recordStatusOnClick(page, 'lr-finder');
    await button(page, 'lr-finder', 'Run').click();
    await expect(status(page, 'lr-finder')).toContainText(/Batch \d+ of at most 200/, { timeout: 120_000 });
    await button(page, 'lr-finder', 'Stop').click();
    await expect(status(page, 'lr-finder')).toContainText(/Stopped at your request after \d+ batch/, {
      timeout: 30_000,
    });
    const shown = Number(/Batch (\d+) of at most/.exec(await atClick(page))![1]);
    const text = await status(page, 'lr-finder').innerText();
    const stopped = Number(/after (\d+) batch/.exec(text)![1]);
    expect(stopped).toBeLessThanOrEqual(shown + 1);
    expect(text).not.toContain('diverged');
    expect(text).not.toContain('NaN');
    expect(await page.getByTestId('lr-suggestions').locator('td').allInnerTexts()).not.toContain('NaN');
  });

  test('Train: Stop before the first batch is kept, and nothing trains', async ({ page }) => {
    test.setTimeout(90_000);
    await open(
      page,
      '/chapters/epochs-and-1cycle/?backend=wasm&train.items=16&train.bs=4&train.size=24&train.epochs=2&train.arch=resnet-tiny',
      'train-run',
    );
    await button(page, 'train-run', 'Run').click();
    await button(page, 'train-run', 'Stop').click();
    await expect(status(page, 'train-run')).toHaveText('Stopped before training began.', { timeout: 30_000 });
    await page.waitForTimeout(3_000);
    await expect(status(page, 'train-run')).toHaveText('Stopped before training began.');
    await expect(page.getByTestId('epoch-table')).toContainText('No epoch finished yet.');
  });

  test('the training benchmark can be stopped', async ({ page }) => {
    test.setTimeout(90_000);
    await open(
      page,
      '/performance/?backend=wasm&bench.arch=resnet-s&bench.batch=16&bench.size=64&bench.steps=10',
      'train-bench',
    );
    await button(page, 'train-bench', 'Run').click();
    await expect(status(page, 'train-bench')).toContainText('kernels:', { timeout: 60_000 });
    await button(page, 'train-bench', 'Stop').click();
    await expect(status(page, 'train-bench')).toHaveText('Stopped; nothing was measured. Press Run to start again.', {
      timeout: 30_000,
    });
    await expect(page.getByTestId('train-bench-result')).toHaveAttribute('data-result', '');
  });

  test('interpretation stops while it predicts', async ({ page }) => {
    test.setTimeout(90_000);
    await open(page, '/chapters/interpretation/?backend=wasm&interp.model=as-is', 'interpretation-lab');
    await button(page, 'interpretation-lab', 'Run').click();
    await expect(status(page, 'interpretation-lab')).toContainText('Predicting', { timeout: 60_000 });
    await button(page, 'interpretation-lab', 'Stop').click();
    await expect(status(page, 'interpretation-lab')).toHaveText('Stopped; press Run to start again.', {
      timeout: 30_000,
    });
    await expect(page.locator('#interpretation-lab svg .cell')).toHaveCount(0);
  });
});

test.describe('Reset during a run stops it first, then clears everything', () => {
  test('LR finder', async ({ page }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/lr-finder/?backend=wasm&lrf.items=64&lrf.bs=4&lrf.size=24&lrf.numIt=200&lrf.arch=resnet-tiny',
      'lr-finder',
    );
    await button(page, 'lr-finder', 'Run').click();
    await expect(status(page, 'lr-finder')).toContainText(/Batch \d+ of at most 200/, { timeout: 120_000 });
    await button(page, 'lr-finder', 'Reset').click();
    await expect(status(page, 'lr-finder')).toHaveText('Reset: press Run to sweep the learning rate again.', {
      timeout: 30_000,
    });
    await page.waitForTimeout(2_000);
    await expect(status(page, 'lr-finder')).toHaveText('Reset: press Run to sweep the learning rate again.');
    await expect(page.locator('#lr-finder select').nth(1)).toHaveValue('0'); // Images: all
    await expect(page.locator('#lr-finder svg path.series')).toHaveCount(0); // no curve left
    await expect(button(page, 'lr-finder', 'Run')).toBeVisible();
  });

  test('Train ResNet-S: the reset message is the last word', async ({ page }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/epochs-and-1cycle/?backend=wasm&train.items=64&train.bs=4&train.size=24&train.epochs=20&train.arch=resnet-tiny',
      'train-run',
    );
    await button(page, 'train-run', 'Run').click();
    await expect(status(page, 'train-run')).toContainText(/batch \d+ of 16/, { timeout: 120_000 });
    await button(page, 'train-run', 'Reset').click();
    await expect(status(page, 'train-run')).toHaveText('Reset: the next run starts from a fresh model.', {
      timeout: 30_000,
    });
    await page.waitForTimeout(2_000);
    await expect(status(page, 'train-run')).toHaveText('Reset: the next run starts from a fresh model.');
    await expect(page.getByTestId('epoch-table')).toContainText('No epoch finished yet.');
  });

  test('fine_tune, two ways: no exception', async ({ page }) => {
    test.setTimeout(150_000);
    await open(
      page,
      '/chapters/transfer-learning/?backend=wasm&ft.items=64&ft.bs=4&ft.size=24&ft.epochs=2',
      'fine-tune-lab',
    );
    await button(page, 'fine-tune-lab', 'Run').click();
    await expect(status(page, 'fine-tune-lab')).toContainText(/Run A .*batch \d+ of 16/, { timeout: 120_000 });
    await button(page, 'fine-tune-lab', 'Reset').click();
    await expect(status(page, 'fine-tune-lab')).toHaveText('Reset to fastai’s defaults.', { timeout: 30_000 });
    await page.waitForTimeout(2_000);
    await expect(status(page, 'fine-tune-lab')).toHaveText('Reset to fastai’s defaults.');
    await expect(page.getByTestId('ft-epochs')).toContainText('No epoch finished yet.');
  });
});

test("on a software WebGPU adapter (the e2e browser's SwiftShader) a demo runs on wasm and says why; ?backend=webgpu still forces it", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page, '/chapters/presizing/', 'show-batch');
  await page.getByRole('button', { name: 'Show a batch' }).click();
  await expect(page.locator('#show-batch canvas')).toHaveCount(12, { timeout: 90_000 });
  await expect(page.locator('#show-batch .demo-backend')).toHaveText('wasm');
  await expect(page.locator('#show-batch .demo-notice')).toContainText(
    'The only WebGPU here is a software one (SwiftShader)',
  );
  await expect(page.locator('#show-batch .demo-notice')).toContainText('?backend=webgpu');
});
