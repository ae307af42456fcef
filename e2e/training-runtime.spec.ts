// The training runtime on a page with two training demos (wasm, tiny sizes): a training that scrolls off screen
// pauses between two batches and says so, and goes on when it comes back; a demo waiting for the engine hears
// nothing of the other demo's run (its steps and epochs carry that run's request id).
import type { Page } from '@playwright/test';
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/epochs-and-1cycle/';
const status = (page: Page, id: string) => page.locator(`#${id} [role="status"]`);
const button = (page: Page, id: string, name: string) =>
  page.locator(`#${id}`).getByRole('button', { name, exact: true });
const PAUSED = 'Paused while this demo is off screen; training goes on when you scroll back to it.';

/** Scrolls the page so that no part of the demo is in the viewport (to the top or the bottom, whichever does it). */
async function scrollAway(page: Page, id: string): Promise<void> {
  const away = await page.evaluate((demo) => {
    const el = document.getElementById(demo)!;
    for (const y of [0, document.documentElement.scrollHeight]) {
      window.scrollTo(0, y);
      const box = el.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight) return true;
    }
    return false;
  }, id);
  expect(away, 'the page is long enough to scroll the demo off screen').toBe(true);
}

const progressValue = (page: Page, id: string) =>
  page.locator(`#${id} progress`).evaluate((p) => (p as HTMLProgressElement).value);

test('a training that leaves the screen pauses, says so, and goes on when it is back', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${PAGE}?backend=wasm&train.items=64&train.bs=8&train.size=32&train.epochs=20&train.method=fit`);
  await hydratedDemo(page, 'train-run');
  await button(page, 'train-run', 'Run').click();
  await expect(status(page, 'train-run')).toContainText(/epoch \d+, batch \d+ of 8/, { timeout: 120_000 });
  await scrollAway(page, 'train-run');
  await expect(status(page, 'train-run')).toHaveText(PAUSED, { timeout: 5_000 });
  // A batch already under way may still finish; after that nothing trains while the demo is off screen.
  await page.waitForTimeout(4_000);
  const before = await progressValue(page, 'train-run');
  await page.waitForTimeout(6_000);
  expect(await progressValue(page, 'train-run')).toBe(before);
  await expect(status(page, 'train-run')).toHaveText(PAUSED);
  await page.locator('#train-run').scrollIntoViewIfNeeded();
  await expect(status(page, 'train-run')).not.toHaveText(PAUSED, { timeout: 5_000 });
  await expect.poll(() => progressValue(page, 'train-run'), { timeout: 60_000 }).toBeGreaterThan(before);
  await button(page, 'train-run', 'Stop').click();
  await expect(status(page, 'train-run')).toContainText(/Stopped after \d+ batches/, { timeout: 30_000 });
});

test("a demo waiting for the engine does not hear the other demo's run on the same page", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(
    `${PAGE}?backend=wasm&es.items=64&es.bs=8&es.size=24&es.epochs=12&es.arch=resnet-tiny&train.items=16&train.size=24&train.epochs=1&train.arch=resnet-tiny`,
  );
  await hydratedDemo(page, 'train-run');
  await hydratedDemo(page, 'epochs-lab');
  await button(page, 'epochs-lab', 'Run').click();
  await expect(status(page, 'epochs-lab')).toContainText(/Run A: epoch 1 of 12, batch/, { timeout: 120_000 });
  // Started without scrolling to it (the epochs lab stays on screen, so it keeps training). The worker does one
  // command at a time: the train-run's start waits behind run A's training.
  await button(page, 'train-run', 'Run').dispatchEvent('click');
  const epochsA = page.getByTestId('es-epochs').locator('tr[data-run="A"]');
  // Run A goes on finishing epochs (two at least, of its twelve) while the train-run waits and hears none of them.
  await expect.poll(() => epochsA.count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('epoch-table')).toContainText('No epoch finished yet.');
  await expect(status(page, 'train-run')).not.toContainText(/epoch|Done/);
  await button(page, 'epochs-lab', 'Stop').click();
  await expect(status(page, 'epochs-lab')).toContainText('Stopped; what finished is kept above', { timeout: 60_000 });
  const kept = await epochsA.count();
  await hydratedDemo(page, 'train-run');
  await expect(status(page, 'train-run')).toContainText('Done in', { timeout: 120_000 });
  // Its own epoch, and none of run A's; run A's table did not gain the train-run's epoch either.
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(1);
  await expect(epochsA).toHaveCount(kept);
  await expect(page.getByTestId('es-epochs').locator('tr[data-run="B"]')).toHaveCount(0);
});
