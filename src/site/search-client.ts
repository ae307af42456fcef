// A thin client over Pagefind's JavaScript API: loads the index lazily, returns plain hits that link to the section
// (heading) of the page where the query matches best, not to the top of the page.

export interface SearchHit {
  /** The page, with the best-matching section's #anchor when there is one. */
  url: string;
  title: string;
  /** The heading of that section, when it is not the page's opening. */
  section?: string;
  /** Text around the match, with <mark> elements around the matched words. */
  excerpt: string;
}

/** What Pagefind gives for one section of a page (a stretch of text under one heading). */
export interface PagefindSubResult {
  url: string;
  title: string;
  excerpt: string;
  weighted_locations?: { weight: number; balanced_score: number; location: number }[];
  locations?: number[];
}

export interface PagefindData {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: PagefindSubResult[];
}

interface PagefindResult {
  data(): Promise<PagefindData>;
}
interface Pagefind {
  init(): Promise<void>;
  debouncedSearch(query: string, options?: object, ms?: number): Promise<{ results: PagefindResult[] } | null>;
}

const score = (s: PagefindSubResult): number =>
  s.weighted_locations?.reduce((sum, l) => sum + l.balanced_score, 0) ?? s.locations?.length ?? 0;

/**
 * One hit for a page: the section where the query scores highest (the sum of Pagefind's balanced scores of the
 * matched words in it; the first such section on a tie), linked by its anchor, with that section's excerpt.
 */
export function hitFor(d: PagefindData): SearchHit {
  const title = d.meta.title ?? d.url;
  let best: PagefindSubResult | undefined;
  for (const s of d.sub_results ?? []) if (!best || score(s) > score(best)) best = s;
  if (!best || score(best) === 0) return { url: d.url, title, excerpt: d.excerpt };
  const section = best.url.includes('#') && best.title !== title ? best.title : undefined;
  return { url: best.url, title, excerpt: best.excerpt || d.excerpt, ...(section ? { section } : {}) };
}

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The words Pagefind marked in an excerpt. */
export function markedWords(excerpt: string): string[] {
  return [...excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((m) => words(m[1]!));
}

/**
 * Whether a page really matches the query. Pagefind also answers a word it does not know with any indexed word that
 * is a piece of it ("xyzzy" finds the variable `x`), so a hit counts only when a marked word is a query word, or one
 * of them begins the other and is at least three letters long (a stem, or a word still being typed). A hit with no
 * marked word (a match in the title alone) is kept.
 */
export function matchesQuery(query: string, d: Pick<PagefindData, 'excerpt' | 'sub_results'>): boolean {
  const terms = words(query);
  const marked = [d.excerpt, ...(d.sub_results ?? []).map((s) => s.excerpt)].flatMap(markedWords);
  if (marked.length === 0) return true;
  return marked.some((m) =>
    terms.some((t) => m === t || (Math.min(m.length, t.length) >= 3 && (t.startsWith(m) || m.startsWith(t)))),
  );
}

/** Returns a search function; a call superseded by a newer one within the debounce resolves to no hits. */
export function createSearch(base = '/pagefind/', limit = 8): (query: string) => Promise<SearchHit[]> {
  let loading: Promise<Pagefind> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const url = `${base}pagefind.js`;
      const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
      await pagefind.init();
      return pagefind;
    })());
  return async (query) => {
    const pagefind = await load();
    const found = await pagefind.debouncedSearch(query, {}, 120);
    if (!found) return [];
    const data = await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
    return data.filter((d) => matchesQuery(query, d)).map(hitFor);
  };
}
