import { describe, expect, it } from 'vitest';
import {
  chapterPath,
  eyebrowFor,
  groupChapters,
  missingConcepts,
  neighbours,
  readingNeighbours,
  sortChapters,
} from './chapters';
import { linkFor } from './copy-link';

const ch = (id: string, order: number) => ({ id, order });

describe('chapter order', () => {
  it('sorts by order and finds neighbours', () => {
    const sorted = sortChapters([ch('c', 3), ch('a', 1), ch('b', 2)]);
    expect(sorted.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(neighbours(sorted, 'a')).toEqual({ prev: undefined, next: ch('b', 2) });
    expect(neighbours(sorted, 'c').prev).toEqual(ch('b', 2));
    expect(() => neighbours(sorted, 'zz')).toThrow(/no chapter/);
  });
  it('refuses two chapters in the same place', () => {
    expect(() => sortChapters([ch('a', 1), ch('b', 1)])).toThrow(/both have order 1/);
  });
  it('reports concepts without a heading', () => {
    expect(missingConcepts([{ slug: 'x' }, { slug: 'y' }], ['y', 'z'])).toEqual(['x']);
    expect(chapterPath('softmax')).toBe('/chapters/softmax/');
  });
});

describe('asides', () => {
  const k = (id: string, order: number, kind: 'chapter' | 'aside') => ({ id, order, kind });
  const site = sortChapters([k('l', 102, 'aside'), k('a', 1, 'chapter'), k('u', 101, 'aside'), k('b', 2, 'chapter')]);
  it('are listed in a group of their own after the parts', () => {
    const { parts, asides } = groupChapters(site);
    expect(parts.map((c) => c.id)).toEqual(['a', 'b']);
    expect(asides.map((c) => c.id)).toEqual(['u', 'l']);
  });
  it('lead to asides, and parts to parts', () => {
    expect(readingNeighbours(site, 'b')).toEqual({ prev: site[0], next: undefined });
    expect(readingNeighbours(site, 'u')).toEqual({ prev: undefined, next: k('l', 102, 'aside') });
    expect(readingNeighbours(site, 'l').prev?.id).toBe('u');
  });
  it('must be ordered from 101, and parts below it', () => {
    expect(() => groupChapters([k('x', 9, 'aside')])).toThrow(/from 101/);
    expect(() => groupChapters([k('y', 150, 'chapter')])).toThrow(/1 to 100/);
  });
  it('say so above their title', () => {
    expect(eyebrowFor({ order: 4, kind: 'chapter' })).toBe('Chapter 5 · part 4');
    expect(eyebrowFor({ order: 102, kind: 'aside' })).toMatch(/^Questions readers ask/);
  });
});

describe('copy-link targets', () => {
  it('keeps the page and its demo state, and sets the fragment', () => {
    expect(linkFor('#softmax-lab', 'http://x.test/chapters/softmax/?softmax.temp=2#top')).toBe(
      'http://x.test/chapters/softmax/?softmax.temp=2#softmax-lab',
    );
  });
  it('resolves links to other pages as they are', () => {
    expect(linkFor('/chapters/lr-finder/#the-sweep', 'http://x.test/chapters/softmax/?a=1')).toBe(
      'http://x.test/chapters/lr-finder/#the-sweep',
    );
  });
});
