// Ordering and cross-checking of chapters: pure functions used by the pages and unit-tested in Node.

export interface ChapterInfo {
  id: string;
  title: string;
  short: string;
  order: number;
  concepts: { slug: string; title: string }[];
}

export interface Neighbours<T> {
  prev: T | undefined;
  next: T | undefined;
}

/** Chapters sorted by their `order`; throws when two chapters claim the same place. */
export function sortChapters<T extends Pick<ChapterInfo, 'order' | 'id'>>(chapters: readonly T[]): T[] {
  const sorted = [...chapters].sort((a, b) => a.order - b.order);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.order === b.order) throw new Error(`chapters "${a.id}" and "${b.id}" both have order ${a.order}`);
  }
  return sorted;
}

/** The chapters before and after `id` in reading order. */
export function neighbours<T extends Pick<ChapterInfo, 'id'>>(sorted: readonly T[], id: string): Neighbours<T> {
  const i = sorted.findIndex((c) => c.id === id);
  if (i < 0) throw new Error(`no chapter "${id}"`);
  return { prev: sorted[i - 1], next: sorted[i + 1] };
}

/** Concept slugs that have no heading with that id: a chapter must have none, so links to concepts stay stable. */
export function missingConcepts(concepts: readonly { slug: string }[], headingIds: readonly string[]): string[] {
  const ids = new Set(headingIds);
  return concepts.map((c) => c.slug).filter((s) => !ids.has(s));
}

/** The path of a chapter page. */
export function chapterPath(id: string): string {
  return `/chapters/${id}/`;
}
