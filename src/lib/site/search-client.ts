// A thin client over Pagefind's JavaScript API: loads the index lazily, returns plain hits.

export interface SearchHit {
  url: string;
  title: string;
  /** Page text around the match, with <mark> elements around the matched words. */
  excerpt: string;
}

interface PagefindResult {
  data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }>;
}
interface Pagefind {
  init(): Promise<void>;
  debouncedSearch(query: string, options?: object, ms?: number): Promise<{ results: PagefindResult[] } | null>;
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
    return data.map((d) => ({ url: d.url, title: d.meta.title ?? d.url, excerpt: d.excerpt }));
  };
}
