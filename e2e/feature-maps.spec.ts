// The feature-map demo: the stage layout with its sizes before JavaScript; one pets image through the pretrained and
// the random body gives maps of the reference table's sizes that differ between the two; state in the URL; no
// console error during the runs.
import { expect, test } from './demo-test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/transfer-learning/';

test('renders the stage layout with its sizes before (and without) JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${PAGE}?fm.size=96#feature-maps`);
  // Without JavaScript the URL is not read: the default 64 px layout.
  await expect(page.locator('#feature-maps').getByTestId('fm-size')).toHaveText([
    '32×32×32',
    '32×32×32',
    '16×16×64',
    '8×8×128',
    '4×4×256',
  ]);
  await context.close();
});

test('the pretrained and the random body give different maps of the same image, at the sizes of the reference table', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(`${PAGE}?backend=wasm&fm.size=96&fm.top=4`);
  await hydratedDemo(page, 'feature-maps');
  const demo = page.locator('#feature-maps');
  // 96 px: the table's 48x48x32, 48x48x32, 24x24x64, 12x12x128, 6x6x256.
  await expect(demo.getByTestId('fm-size')).toHaveText(['48×48×32', '48×48×32', '24×24×64', '12×12×128', '6×6×256']);
  await demo.getByRole('button', { name: 'Run' }).click();
  const maps = demo.getByTestId('fm-maps');
  await expect(maps).toHaveAttribute('data-body', 'pretrained', { timeout: 120_000 });
  await expect(maps.locator('canvas')).toHaveCount(5 * 4);
  await expect(demo.getByTestId('fm-top').locator('li')).toHaveCount(5);
  const means = async () =>
    maps.locator('[data-stage]').evaluateAll((els) => els.map((e) => e.getAttribute('data-means')));
  const pretrained = await means();
  expect(pretrained.every((m) => m && m.split(' ').length === 4)).toBe(true);

  await demo.getByRole('radio', { name: 'random (untrained)' }).check();
  await expect(page).toHaveURL(/fm\.body=random/);
  await expect(maps).toHaveAttribute('data-body', 'random', { timeout: 120_000 });
  const random = await means();
  expect(random).toHaveLength(5);
  for (let i = 0; i < 5; i++) expect(random[i]).not.toBe(pretrained[i]);
  await expect(demo.locator('[role="status"]')).toContainText('random body');

  await page.reload();
  await hydratedDemo(page, 'feature-maps');
  await expect(demo.getByRole('radio', { name: 'random (untrained)' })).toBeChecked();
});
