// Interpretation on the real validation set: the confusion matrix, most confused pairs and top losses agree with each
// other and with the model's predictions; the sliders re-slice them and live in the URL.
import type { Page } from '@playwright/test';
import { expect, test } from './demo-test';
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { hydratedDemo } from './pages';

const manifest = JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as {
  classes: string[];
  images: { split: string }[];
};
const VALID = manifest.images.filter((im) => im.split === 'valid').length;
const BREEDS = manifest.classes.length;
const demo = (page: Page) => page.locator('#interpretation-lab');

test('renders the empty matrix, the controls and placeholders before (and without) JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/chapters/interpretation/');
  await expect(demo(page).locator('svg[role="img"] .row-label')).toHaveCount(BREEDS);
  await expect(demo(page).locator('svg[role="img"] .col-label')).toHaveCount(BREEDS);
  await expect(demo(page).locator('svg .cell')).toHaveCount(0);
  await expect(demo(page).getByRole('slider', { name: 'images (k)' })).toHaveValue('9');
  await expect(demo(page).getByTestId('interp-top').locator('li')).toHaveCount(9);
  await expect(demo(page).locator('[role="status"]')).toContainText(`predicts all ${VALID} validation images`);
  await context.close();
});

test('interprets a model over every validation image; the three views agree; sliders re-slice and live in the URL', async ({
  page,
}) => {
  test.setTimeout(200_000);
  await page.goto('/chapters/interpretation/?interp.k=4&interp.min=1&interp.model=as-is');
  await hydratedDemo(page, 'interpretation-lab');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  const status = demo(page).locator('[role="status"]');
  await expect(status).toContainText('accuracy', { timeout: 180_000 });
  const text = await status.innerText();
  expect(text).toContain(`${VALID} validation images through an untrained resnet-s`);
  await expect(page.getByTestId('interp-untrained')).toBeVisible();

  // The matrix counts every validation image once, and its diagonal is the accuracy the status reports.
  const cells = await demo(page)
    .locator('svg .cell')
    .evaluateAll((gs) =>
      gs.map((g) => ({ count: Number(g.querySelector('text')!.textContent), right: g.classList.contains('right') })),
    );
  expect(cells.reduce((s, c) => s + c.count, 0)).toBe(VALID);
  const accuracy = Number(/accuracy ([\d.]+)%/.exec(text)![1]) / 100;
  expect(Math.abs(cells.filter((c) => c.right).reduce((s, c) => s + c.count, 0) / VALID - accuracy)).toBeLessThan(6e-4);

  // most_confused(1) lists every off-diagonal cell, largest first.
  const wrong = cells
    .filter((c) => !c.right)
    .map((c) => c.count)
    .sort((a, b) => b - a);
  const listed = (await page.getByTestId('interp-pairs').locator('tbody td:last-child').allInnerTexts()).map(Number);
  expect(listed).toEqual(wrong);

  // Top losses: k pictures, captions "prediction / actual / loss / probability", losses not increasing.
  const grid = page.getByTestId('interp-top');
  await expect(grid.locator('canvas')).toHaveCount(4);
  const losses = async () =>
    (await grid.locator('.caption').allInnerTexts()).map((c) => {
      const parts = c.split(' / ');
      expect(parts).toHaveLength(4);
      const [loss, p] = [Number(parts[2]), Number(parts[3])];
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
      return loss;
    });
  const first = await losses();
  expect(first).toEqual([...first].sort((a, b) => b - a));

  // The k slider by keyboard: one more picture, in the URL; the earlier ones stay in place.
  const k = demo(page).getByRole('slider', { name: 'images (k)' });
  await k.focus();
  await page.keyboard.press('ArrowRight');
  await expect(grid.locator('canvas')).toHaveCount(5);
  await expect(page).toHaveURL(/interp\.k=5/);
  expect((await losses()).slice(0, 4)).toEqual(first);

  // The filled-in demo (counts on shaded cells, the pairs table, the pictures) passes axe in both themes.
  for (const scheme of ['light', 'dark'] as const) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), scheme);
    const results = await new AxeBuilder({ page }).include('#interpretation-lab').analyze();
    expect(
      results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${scheme} ${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        ),
    ).toEqual([]);
  }

  // A minimum above every count lists nothing and says so.
  const min = demo(page).getByRole('slider', { name: 'at least (min_val)' });
  await min.focus();
  await page.keyboard.press('End');
  await expect(page).toHaveURL(/interp\.min=20/);
  await expect(page.getByTestId(wrong[0]! >= 20 ? 'interp-pairs' : 'interp-pairs-none')).toBeVisible();

  await page.reload();
  await hydratedDemo(page, 'interpretation-lab');
  await expect(demo(page).getByRole('slider', { name: 'images (k)' })).toHaveValue('5');
  await expect(demo(page).getByRole('slider', { name: 'at least (min_val)' })).toHaveValue('20');
});

test('with no model trained or saved, it first fine-tunes the pretrained body, then interprets that model', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/chapters/interpretation/?interp.k=2&interp.items=16');
  await hydratedDemo(page, 'interpretation-lab');
  await expect(demo(page).getByRole('combobox', { name: 'Model' })).toHaveValue('auto');
  await demo(page).getByRole('button', { name: 'Run' }).click();
  const status = demo(page).locator('[role="status"]');
  await expect(status).toContainText('First fine-tuning the pretrained body', { timeout: 120_000 });
  await expect(status).toContainText('accuracy', { timeout: 280_000 });
  // Trained on 16 images, interpreted on every validation image.
  await expect(status).toContainText(
    `${VALID} validation images through a resnet-s with a body pretrained on imagenette and a new head, trained on this page for 2 batches`,
  );
  await expect(page.getByTestId('interp-untrained')).toHaveCount(0);
  await expect(page.getByTestId('interp-top').locator('canvas')).toHaveCount(2);
});
