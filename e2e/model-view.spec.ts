// The real model's view: a pets image through the model; and a model trained and saved in one chapter is picked up
// in another.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

async function runModelView(page: import('@playwright/test').Page) {
  await page.goto('/chapters/cross-entropy/');
  await hydratedDemo(page, 'model-view');
  await page.locator('#model-view').getByRole('button', { name: 'Run' }).click();
  const loss = page.getByTestId('mv-loss');
  await expect(loss).toBeVisible({ timeout: 120_000 });
  const text = await loss.innerText();
  const p = Number(/p = ([\d.]+)/.exec(text)![1]);
  const ce = Number(/−log p = ([\d.]+)/.exec(text)![1]);
  expect(Math.abs(ce + Math.log(p))).toBeLessThan(2e-3 + 1e-3 * ce);
  await expect(page.getByTestId('mv-top').locator('li')).toHaveCount(5);
  return page.locator('#model-view [role="status"]').innerText();
}

test('shows the activations, softmax and cross-entropy of a real image through an untrained model', async ({
  page,
}) => {
  test.setTimeout(150_000);
  expect(await runModelView(page)).toContain('an untrained resnet-s (random weights)');
});

test('a model trained and saved in the epochs chapter is used by the cross-entropy chapter', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(
    '/chapters/epochs-and-1cycle/?train.items=16&train.size=24&train.bs=4&train.epochs=1&train.arch=resnet-tiny',
  );
  await hydratedDemo(page, 'train-run');
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('#train-run [role="status"]')).toContainText('Done in', { timeout: 150_000 });
  await page.getByRole('button', { name: 'Save in this browser' }).click();
  await expect(page.locator('#train-run [role="status"]')).toContainText('Saved in this browser');
  expect(await runModelView(page)).toContain('the resnet-tiny saved in this browser');
  // The interpretation chapter finds the saved model too, so it interprets it rather than fine-tuning one first.
  await page.goto('/chapters/interpretation/?interp.k=1');
  await hydratedDemo(page, 'interpretation-lab');
  await page.locator('#interpretation-lab').getByRole('button', { name: 'Run' }).click();
  const status = page.locator('#interpretation-lab [role="status"]');
  await expect(status).toContainText('accuracy', { timeout: 120_000 });
  await expect(status).toContainText('validation images through the resnet-tiny saved in this browser');
});
