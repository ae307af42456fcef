// Content Security Policy: the browser enforces it, and nothing the site does violates it: search, a lab, and a
// training run on the wasm backend (WebAssembly compiled in the worker). Every page's own policy, and that loading it
// and hydrating every island violates none of it: page-sweep.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import { hydratedDemo } from './pages';
import { recordViolations, violations } from './checks/csp';

function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`exception: ${err.message}`));
  return problems;
}

test('the policy is enforced: an injected inline script is blocked and reported', async ({ page }) => {
  await recordViolations(page);
  await page.goto('/chapters/softmax/');
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.head.append(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(async () => (await violations(page)).length).toBeGreaterThan(0);
  for (const v of await violations(page)) expect(v).toMatch(/^script-src(-elem)? blocked inline/);
});

test('search (Pagefind, WebAssembly) works under the policy', async ({ page }) => {
  await recordViolations(page);
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search the chapters' }).fill('softmax');
  await expect(page.locator('#search-results a').first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the softmax lab and a tiny training run on wasm work under the policy', async ({ page, request }) => {
  test.setTimeout(180_000);
  await recordViolations(page);
  const problems = watchErrors(page);
  await page.goto('/chapters/softmax/?softmax.temp=2');
  await hydratedDemo(page, 'softmax-lab');
  await page.locator('#softmax-lab input[type="range"]').first().press('ArrowRight');
  expect(await violations(page)).toEqual([]);

  const workerScripts: string[] = [];
  page.on('worker', (w) => workerScripts.push(w.url()));
  await page.goto(
    '/chapters/epochs-and-1cycle/?backend=wasm&train.items=16&train.size=24&train.bs=4&train.epochs=1&train.arch=resnet-tiny',
  );
  await hydratedDemo(page, 'train-run');
  await page.locator('#train-run').getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('#train-run [role="status"]')).toContainText('Done in', { timeout: 150_000 });
  await expect(page.locator('#train-run .demo-backend')).toHaveText('wasm');
  expect(await violations(page)).toEqual([]);
  // Errors a policy causes (a refused script, fetch or WebAssembly compile); other console errors of a training run
  // are the training demos' own e2e tests' business.
  expect(problems.filter((p) => /Content.Security.Policy|CSP|Refused|WebAssembly|wasm/i.test(p))).toEqual([]);
  // The worker runs under the policy its own script was served with: WebAssembly allowed, nothing but this site.
  expect(workerScripts.length).toBeGreaterThan(0);
  const policy = (await request.get(new URL(workerScripts[0]!).pathname)).headers()['content-security-policy'] ?? '';
  expect(policy).toContain("'wasm-unsafe-eval'");
  expect(policy).toContain("connect-src 'self'");
});
