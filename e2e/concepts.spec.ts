// The concept index (/concepts/) and the asides: every concept and experiment listed with a link that resolves, the
// index reachable from the home page and the sidebar, in the sitemap and the search index; asides in a sidebar group
// of their own, unnumbered, with their own prev/next chain.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { EXPERIMENTS, experimentHref } from '../src/site/experiments';

interface Frontmatter {
  slug: string;
  kind: 'chapter' | 'aside';
  order: number;
  concepts: string[];
}

/** Each chapter's frontmatter, read from content/ (the source the index must agree with). */
function chaptersFromContent(): Frontmatter[] {
  return readdirSync('content')
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => {
      const head = readFileSync(`content/${f}`, 'utf8').split('\n---')[0]!;
      return {
        slug: f.replace(/\.mdx$/, ''),
        kind: /^kind:\s*aside\s*$/m.test(head) ? ('aside' as const) : ('chapter' as const),
        order: Number(head.match(/^order:\s*(\d+)/m)![1]),
        concepts: [...head.matchAll(/slug:\s*([a-z0-9-]+)/g)].map((m) => m[1]!),
      };
    })
    .sort((a, b) => a.order - b.order);
}

const CHAPTERS = chaptersFromContent();
const ASIDES = CHAPTERS.filter((c) => c.kind === 'aside');
const PARTS = CHAPTERS.filter((c) => c.kind === 'chapter');

test('the index lists every concept of every page, and each link lands on its heading', async ({ page }) => {
  await page.goto('/concepts/');
  await expect(page.locator('h1')).toHaveText('Concepts and guided experiments');
  const sections = page.locator('[data-chapter]');
  expect(await sections.evaluateAll((s) => s.map((x) => x.getAttribute('data-chapter')))).toEqual(
    CHAPTERS.map((c) => c.slug),
  );
  const checked = new Set<string>();
  for (const c of CHAPTERS) {
    const links = page.locator(`[data-chapter="${c.slug}"] a[data-concept]`);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs, `${c.slug}: its concepts, in order`).toEqual(c.concepts.map((k) => `/chapters/${c.slug}/#${k}`));
    checked.add(c.slug);
  }
  // Each concept's anchor exists on its page (a renamed heading would break every blog post linking to it).
  for (const c of CHAPTERS) {
    await page.goto(`/chapters/${c.slug}/`);
    for (const k of c.concepts)
      await expect(page.locator(`h2#${k}, h3#${k}, h4#${k}`), `${c.slug}#${k}`).toHaveCount(1);
  }
  expect(checked.size).toBe(CHAPTERS.length);
});

test('the index lists every guided experiment with its link and what to look for', async ({ page }) => {
  await page.goto('/concepts/');
  const listed = await page.locator('a[data-experiment-index]').evaluateAll((as) =>
    as.map((a) => ({
      id: a.getAttribute('data-experiment-index'),
      href: a.getAttribute('href'),
      chapter: a.closest('[data-chapter]')?.getAttribute('data-chapter'),
      text: a.closest('li')?.textContent ?? '',
    })),
  );
  expect(listed.map((l) => l.id)).toEqual(
    CHAPTERS.flatMap((c) => EXPERIMENTS.filter((e) => e.chapter === c.slug)).map((e) => e.id),
  );
  for (const l of listed) {
    const e = EXPERIMENTS.find((x) => x.id === l.id)!;
    expect(l.href).toBe(experimentHref(e));
    expect(l.chapter).toBe(e.chapter);
    expect(l.text).toContain(e.lookFor);
  }
});

test('the index is linked from the home page and the sidebar, and is in the sitemap and the search index', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await expect(page.locator('main a[href="/concepts/"]')).toHaveCount(1);
  await page.goto(`/chapters/${PARTS[0]!.slug}/`);
  await expect(page.locator('#sidebar a[href="/concepts/"]')).toHaveCount(1);
  await page.goto('/concepts/');
  await expect(page.locator('#sidebar a[href="/concepts/"]')).toHaveAttribute('aria-current', 'page');

  const index = await (await request.get('/sitemap-index.xml')).text();
  const sitemap = await (await request.get(new URL(index.match(/<loc>([^<]+)<\/loc>/)![1]!).pathname)).text();
  expect(sitemap).toContain('/concepts/');
  for (const a of ASIDES) expect(sitemap).toContain(`/chapters/${a.slug}/`);

  const urls = await page.evaluate(async () => {
    const pagefind = await import(/* @vite-ignore */ '/pagefind/pagefind.js' as string);
    await pagefind.init();
    const found = await pagefind.search('concepts guided experiments index');
    const data = await Promise.all(found.results.map((r: { data: () => Promise<{ url: string }> }) => r.data()));
    return data.map((d) => d.url);
  });
  expect(urls).toContain('/concepts/');
});

test('asides sit in their own sidebar group, unnumbered, and say so above their title', async ({ page }) => {
  test.skip(ASIDES.length === 0, 'no asides on this branch');
  for (const a of ASIDES) {
    await page.goto(`/chapters/${a.slug}/`);
    await expect(page.locator('.eyebrow')).toContainText('Questions readers ask');
    await expect(page.locator('.eyebrow')).not.toContainText('part');
    const group = page.getByRole('list', { name: 'Questions readers ask' });
    await expect(group.locator(`a[href="/chapters/${a.slug}/"]`)).toHaveAttribute('aria-current', 'page');
    await expect(group.locator('.chapter-number')).toHaveCount(0);
    // The numbered list holds the parts only.
    const numbered = await page
      .locator('#sidebar ol.chapter-list > li > a')
      .evaluateAll((as) => as.map((x) => x.getAttribute('href')));
    expect(numbered).toEqual(PARTS.map((p) => `/chapters/${p.slug}/`));
    // Prev/next stay among the asides.
    for (const rel of ['prev', 'next']) {
      const link = page.locator(`a[rel="${rel}"]`);
      if ((await link.count()) === 0) continue;
      const href = await link.getAttribute('href');
      expect(ASIDES.map((x) => `/chapters/${x.slug}/`)).toContain(href);
    }
  }
  // The last part leads to no aside.
  await page.goto(`/chapters/${PARTS.at(-1)!.slug}/`);
  await expect(page.locator('a[rel="next"]')).toHaveCount(0);
});
