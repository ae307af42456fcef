// Guided experiments: every entry of the registry opens its demo in the state it names, and the links in the prose
// are exactly the registry's.
//
// The registry must not be empty: a test that checks nothing would pass for a site that lost every experiment. On a
// branch whose chapters have no experiments yet, E2E_ALLOW_NO_EXPERIMENTS=1 lets the suite run.
import { expect, test, type Page } from '@playwright/test';
import { EXPERIMENTS, experimentHref } from '../src/site/experiments';
import { DEMO_URL_STATE } from './demo-schemas';
import { chapterPages, sitePages } from './pages';

const allowNone = process.env['E2E_ALLOW_NO_EXPERIMENTS'] === '1';

test('the registry holds guided experiments with unique ids', () => {
  expect(EXPERIMENTS.length, 'guided experiments in src/site/experiments').toBeGreaterThanOrEqual(allowNone ? 0 : 1);
  const ids = EXPERIMENTS.map((e) => e.id);
  expect(new Set(ids).size, 'experiment ids are unique').toBe(ids.length);
  for (const e of EXPERIMENTS) {
    expect(e.id, 'ids are kebab-case').toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(e.title.trim().length, `${e.id}: a title`).toBeGreaterThan(0);
    expect(e.lookFor.trim().length, `${e.id}: what to look for`).toBeGreaterThan(10);
    expect(Object.keys(e.params).length, `${e.id}: an experiment sets at least one value`).toBeGreaterThan(0);
  }
});

for (const e of EXPERIMENTS) {
  test(`experiment ${e.id} opens ${e.demo} in its state`, async ({ page }) => {
    // Keys: the demo's prefix and a key of its schema (a demo keeps keys it does not know in the URL untouched).
    const urlState = DEMO_URL_STATE[e.demo];
    expect(urlState, `demo "${e.demo}" is listed in e2e/demo-schemas.ts`).toBeDefined();
    for (const key of Object.keys(e.params)) {
      const [prefix, name, ...rest] = key.split('.');
      expect(prefix, `${e.id}: "${key}" has the prefix of ${e.demo}`).toBe(urlState!.prefix);
      expect(rest, `${e.id}: "${key}" is prefix.key`).toEqual([]);
      expect(urlState!.keys, `${e.id}: "${key}" is a key of ${e.demo}'s state`).toContain(name);
    }

    const problems = watchErrors(page);
    await page.goto(experimentHref(e));
    const demo = page.locator(`[data-demo="${e.demo}"]`);
    await expect(demo, `the page has the demo ${e.demo}`).toHaveCount(1);
    await demo.scrollIntoViewIfNeeded();
    // Hydrated: the island around the demo has lost its ssr attribute; then let its URL effect run.
    await page.locator(`astro-island:not([ssr]) [data-demo="${e.demo}"]`).waitFor();
    await settle(page);

    // The demo rewrites the URL from the state it parsed: a value its schema rejects (back to the default, so the key
    // disappears) or clamps (a different value) shows here.
    const after = new URL(page.url());
    expect(after.pathname).toBe(`/chapters/${e.chapter}/`);
    expect(after.hash).toBe(`#${e.demo}`);
    for (const [key, value] of Object.entries(e.params)) {
      expect(after.searchParams.get(key), `${e.id}: ${key} after the demo hydrated`).toBe(value);
    }
    expect(problems).toEqual([]);
  });
}

test('the experiment links in the chapters are exactly the registry, each with its href', async ({ page }) => {
  const linkedFrom = new Map<string, string[]>();
  for (const path of sitePages()) {
    await page.goto(path);
    const links = await page.locator('a[data-experiment]').evaluateAll((as) =>
      as.map((a) => ({
        id: a.getAttribute('data-experiment') ?? '',
        href: a.getAttribute('href') ?? '',
        inProse: !!a.closest('.prose'),
      })),
    );
    for (const link of links) {
      const entry = EXPERIMENTS.find((e) => e.id === link.id);
      expect(entry, `${path}: link to experiment "${link.id}" is in the registry`).toBeDefined();
      expect(link.href, `${path}: href of "${link.id}"`).toBe(experimentHref(entry!));
      expect(link.inProse, `${path}: "${link.id}" sits in the chapter's text`).toBe(true);
      expect(path, `"${link.id}" is linked from its own chapter`).toBe(`/chapters/${entry!.chapter}/`);
      linkedFrom.set(link.id, [...(linkedFrom.get(link.id) ?? []), path]);
    }
  }
  const unlinked = EXPERIMENTS.filter((e) => !linkedFrom.has(e.id)).map((e) => `${e.id} (${e.chapter})`);
  expect(unlinked, 'registry entries no chapter links to').toEqual([]);
  expect(chapterPages().length).toBeGreaterThan(0);
});

test('an experiment link is a labelled note that fits a phone', async ({ browser }) => {
  test.skip(EXPERIMENTS.length === 0, 'no experiments on this branch (E2E_ALLOW_NO_EXPERIMENTS=1)');
  const e = EXPERIMENTS[0]!;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(`/chapters/${e.chapter}/`);
  const note = page.getByRole('complementary', { name: e.title });
  await expect(note).toBeVisible();
  const link = note.getByRole('link', { name: new RegExp(escapeRegExp(e.title)) });
  await expect(link).toHaveAttribute('href', experimentHref(e));
  await link.focus();
  await expect(link).toBeFocused();
  const box = (await note.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  await context.close();
});

function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`exception: ${err.message}`));
  return problems;
}

/** Two animation frames: Svelte's effects after mount (the URL write) have run by then. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
