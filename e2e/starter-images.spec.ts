// No empty boxes: the presizing lab opens on a real pets image (not three blank panels) before the reader picks one,
// and the real model's view shows the photo it scores, also without JavaScript.
import { expect, test } from '@playwright/test';
import { hydratedDemo } from './pages';

/** Whether a canvas holds a picture: its pixels are neither blank nor a single colour. */
async function canvasHasPicture(canvas: import('@playwright/test').Locator): Promise<boolean> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let min = 255;
    let max = 0;
    let opaque = 0;
    for (let i = 0; i < d.length; i += 4) {
      min = Math.min(min, d[i]!);
      max = Math.max(max, d[i]!);
      if (d[i + 3]! > 0) opaque++;
    }
    return opaque > 0 && max - min > 40;
  });
}

test('the presizing lab starts with a real pets image in all three panels', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/chapters/presizing/');
  await hydratedDemo(page, 'presizing-lab');
  const lab = page.locator('#presizing-lab');
  await expect(lab.locator('[role="status"]')).toContainText('fastai resampled 1 time, step by step 4 times', {
    timeout: 30_000,
  });
  const canvases = lab.locator('canvas');
  await expect(canvases).toHaveCount(3);
  for (let i = 0; i < 2; i++) expect(await canvasHasPicture(canvases.nth(i))).toBe(true);
  // The picker names the image shown; the URL stays clean (it is the default).
  const first = await lab.locator('select option').nth(1).getAttribute('value');
  await expect(lab.locator('select')).toHaveValue(first!);
  expect(page.url()).not.toContain('pz.image');
  expect(errors).toEqual([]);
});

test('the model view shows the photo it scores, before and without JavaScript, and follows the picker', async ({
  browser,
  page,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const still = await context.newPage();
  await still.goto('/chapters/cross-entropy/');
  const photo = still.getByTestId('mv-photo');
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
  await context.close();

  await page.goto('/chapters/cross-entropy/');
  await hydratedDemo(page, 'model-view');
  const select = page.locator('#model-view select');
  const third = (await select.locator('option').nth(2).getAttribute('value'))!;
  await select.selectOption(third);
  const live = page.getByTestId('mv-photo');
  await expect(live).toHaveAttribute('src', new RegExp(`${third.replace('.', '\\.')}$`));
  await expect
    .poll(() => live.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(100);
});
