// Ordering and cross-checking of chapters: pure functions used by the pages and unit-tested in Node.

export interface ChapterInfo {
  id: string;
  title: string;
  short: string;
  description: string;
  order: number;
  concepts: { slug: string; title: string }[];
  /** 'chapter': a part of the book's chapter 5, numbered; 'aside': a short page on a question readers ask. */
  kind: ChapterKind;
}

export type ChapterKind = 'chapter' | 'aside';

/** The heading of the sidebar group the asides are listed under (after the chapters). */
export const ASIDES_GROUP = 'Questions readers ask';

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

/**
 * The numbered parts and the asides, each in reading order. Asides come after every part (their order is 101 and up),
 * so a new part can never be numbered among them; throws when one is out of place.
 */
export function groupChapters<T extends Pick<ChapterInfo, 'order' | 'id' | 'kind'>>(
  sorted: readonly T[],
): { parts: T[]; asides: T[] } {
  const parts = sorted.filter((c) => c.kind !== 'aside');
  const asides = sorted.filter((c) => c.kind === 'aside');
  for (const a of asides) {
    if (a.order < 101) throw new Error(`aside "${a.id}" has order ${a.order}; asides are ordered from 101`);
  }
  for (const p of parts) {
    if (p.order > 100)
      throw new Error(`chapter "${p.id}" has order ${p.order}; parts are ordered 1 to 100, asides from 101`);
  }
  return { parts, asides };
}

/** Previous and next in reading order within the page's own group: parts lead to parts, asides to asides. */
export function readingNeighbours<T extends Pick<ChapterInfo, 'order' | 'id' | 'kind'>>(
  sorted: readonly T[],
  id: string,
): Neighbours<T> {
  const { parts, asides } = groupChapters(sorted);
  return neighbours(parts.some((c) => c.id === id) ? parts : asides, id);
}

/** The line above a page's title: which part of chapter 5 it is, or that it answers a reader's question. */
export function eyebrowFor(c: Pick<ChapterInfo, 'order' | 'kind'>): string {
  return c.kind === 'aside' ? `${ASIDES_GROUP} · an aside to chapter 5` : `Chapter 5 · part ${c.order}`;
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
