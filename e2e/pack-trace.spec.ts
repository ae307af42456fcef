// The pack trace on the untar_data page: static before JavaScript; a live trace of the real loader (network, then the
// Cache API, then the network again once the cached copy is forgotten); and a bad shard response that heals.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { hydratedDemo } from './pages';

const PAGE = '/chapters/untar-data/';
const manifest = JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as {
  images: unknown[];
  shards: { file: string; bytes: number }[];
};
const shard = manifest.shards[0]!;
const MB = `${(shard.bytes / 1048576).toFixed(1)} MB`;

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  return problems;
}

async function run(page: Page) {
  const demo = page.locator('#pack-trace');
  await demo.getByRole('button', { name: 'Run' }).click();
  await expect(demo.getByRole('button', { name: 'Run' })).toBeVisible({ timeout: 30_000 }); // back once the load ends
  return demo;
}

const row = (page: Page, step: string) =>
  page.locator('#pack-trace tbody tr', {
    has: page.locator('td.step', { hasText: new RegExp(`^${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
  });

test('renders statically before (and without) JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const demo = page.locator('#pack-trace');
  await expect(demo).toContainText(`${manifest.images.length} images in ${manifest.shards.length} shard`);
  await expect(demo.getByTestId('pack-trace-steps')).toContainText(`Nothing yet on this visit`);
  await expect(demo.getByTestId('pack-trace-steps')).toContainText(shard.file);
  await expect(demo.getByTestId('pack-trace-bytes')).toHaveText(`0.0 MB of ${MB}`);
  await context.close();
});

test('traces the real loader: the network first, then the Cache API, then the network once forgotten', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await page.goto(PAGE);
  await hydratedDemo(page, 'pack-trace');
  const demo = page.locator('#pack-trace');
  await demo.getByRole('button', { name: 'Run' }).focus();
  await page.keyboard.press('Enter'); // by keyboard
  await expect(demo.getByRole('status')).toContainText(`Loaded ${MB}`, { timeout: 30_000 });
  await expect(demo.getByRole('status')).toContainText(`${MB} from the network, 0.0 MB from the Cache API`);
  await expect(row(page, 'fetch manifest.json')).toHaveCount(1);
  await expect(row(page, `read ${shard.file}`)).toHaveAttribute('data-from', 'network');
  await expect(row(page, `read ${shard.file}`)).toContainText(MB);
  await expect(row(page, `cache.put ${shard.file}`)).toHaveCount(1);
  await expect(row(page, 'decode 16 JPEGs')).toHaveAttribute('data-from', 'this tab');
  await expect(demo.getByTestId('pack-trace-bytes')).toHaveText(`${MB} of ${MB}`);

  await run(page);
  await expect(demo.getByRole('status')).toContainText(`0.0 MB from the network, ${MB} from the Cache API`);
  await expect(row(page, `read ${shard.file}`)).toHaveAttribute('data-from', 'Cache API');
  await expect(row(page, `cache.put ${shard.file}`)).toHaveCount(0);

  await demo.getByRole('button', { name: 'Forget the cached copy' }).click();
  await expect(demo.getByRole('status')).toContainText('Forgot 1 cached shard');
  await run(page);
  await expect(row(page, `read ${shard.file}`)).toHaveAttribute('data-from', 'network');
  expect(problems).toEqual([]);
});

test('a shard cut short is refused, fetched again, and only the good copy is cached', async ({ page }) => {
  const problems = watchProblems(page);
  let served = 0;
  await page.route(`**/data/pets/${shard.file}*`, async (route) => {
    if (served++ > 0) return route.continue();
    const real = await route.fetch();
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: (await real.body()).subarray(0, 1000),
    });
  });
  await page.goto(PAGE);
  await hydratedDemo(page, 'pack-trace');
  const demo = await run(page);
  await expect(row(page, `rejected ${shard.file}`)).toContainText(
    `connection closed after 0.0 of ${MB}; trying once more`,
  );
  await expect(row(page, `read ${shard.file}`)).toContainText('(second try)');
  await expect(demo.getByRole('status')).toContainText(`Loaded ${MB}`);
  await run(page);
  await expect(row(page, `read ${shard.file}`)).toHaveAttribute('data-from', 'Cache API');
  await expect(row(page, `rejected ${shard.file}`)).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('an HTML page served with 200 (a captive portal) fails the load by name, and the next load heals', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await page.route(`**/data/pets/${shard.file}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Log in to the Wi-Fi</title>' }),
  );
  await page.goto(PAGE);
  await hydratedDemo(page, 'pack-trace');
  const demo = await run(page);
  await expect(demo.getByRole('status')).toContainText(
    `The load failed: ${shard.file}: the server sent an HTML page (text/html) instead of the shard`,
  );
  await expect(row(page, `rejected ${shard.file}`)).toHaveCount(2);
  await page.unroute(`**/data/pets/${shard.file}*`);
  await run(page);
  await expect(demo.getByRole('status')).toContainText(`Loaded ${MB}`);
  await expect(row(page, `read ${shard.file}`)).toHaveAttribute('data-from', 'network');
  expect(problems).toEqual([]);
});
