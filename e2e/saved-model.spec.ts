// A saved model that cannot be read (a corrupt IndexedDB entry) is named in words by the demos that load it, which
// offer to forget it; after that they run without it. No console error on the way.
import { expect, test, type Page } from '@playwright/test';
import { hydratedDemo } from './pages';

/** Puts `value` in IndexedDB where the demos keep the saved model (pets-models / weights / pets-latest). */
async function writeSavedEntry(page: Page, value: 'corrupt-header' | 'text'): Promise<void> {
  await page.evaluate(async (kind) => {
    const bytes = new Uint8Array(64);
    bytes.set(new TextEncoder().encode('PETW1'), 0);
    new DataView(bytes.buffer).setUint32(5, 20, true);
    bytes.set(new TextEncoder().encode('{"config": {"widths'), 9);
    const entry = kind === 'text' ? 'not a model at all' : bytes;
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open('pets-models', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('weights');
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const tx = req.result.transaction('weights', 'readwrite');
        tx.objectStore('weights').put(entry, 'pets-latest');
        tx.oncomplete = () => (req.result.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
    });
  }, value);
}

const savedCount = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('pets-models', 1);
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const count = req.result.transaction('weights').objectStore('weights').count('pets-latest');
          count.onsuccess = () => (req.result.close(), resolve(count.result));
        };
      }),
  );

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

test('the model view names a corrupt saved model, forgets it on request, then runs without it', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/chapters/cross-entropy/');
  await writeSavedEntry(page, 'corrupt-header');
  await hydratedDemo(page, 'model-view');
  const status = page.locator('#model-view [role="status"]');
  const run = page.locator('#model-view').getByRole('button', { name: 'Run' });
  await run.click();
  await expect(status).toContainText(
    'The model could not run: The model saved in this browser cannot be used: its header is not valid JSON.',
    { timeout: 120_000 },
  );
  const forget = page.getByTestId('forget-saved-model');
  await expect(forget).toHaveText('Forget the saved model');
  await forget.click();
  await expect(status).toContainText('The saved model was deleted from this browser');
  await expect(forget).toHaveCount(0);
  expect(await savedCount(page)).toBe(0);
  await run.click();
  await expect(page.getByTestId('mv-loss')).toBeVisible({ timeout: 120_000 });
  await expect(status).toContainText('an untrained resnet-s (random weights)');
  expect(errors).toEqual([]);
});

test('interpretation names a saved entry that is not a model at all and offers to forget it', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/chapters/interpretation/?interp.model=as-is&interp.k=1');
  await writeSavedEntry(page, 'text');
  await hydratedDemo(page, 'interpretation-lab');
  await page.locator('#interpretation-lab').getByRole('button', { name: 'Run' }).click();
  const status = page.locator('#interpretation-lab [role="status"]');
  await expect(status).toContainText(
    'The interpretation could not run: The model saved in this browser cannot be used: it is text, not binary weights data.',
    { timeout: 120_000 },
  );
  await page.getByTestId('forget-saved-model').click();
  await expect(status).toContainText('The saved model was deleted from this browser');
  expect(await savedCount(page)).toBe(0);
  expect(errors).toEqual([]);
});
