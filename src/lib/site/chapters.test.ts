import { describe, expect, it } from 'vitest';
import { chapterPath, missingConcepts, neighbours, sortChapters } from './chapters';
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

describe('copy-link targets', () => {
  it('keeps the page and its demo state, and sets the fragment', () => {
    expect(linkFor('#softmax-lab', 'http://x.test/chapters/softmax/?softmax.temp=2#top')).toBe(
      'http://x.test/chapters/softmax/?softmax.temp=2#softmax-lab',
    );
  });
  it('resolves links to other pages as they are', () => {
    expect(linkFor('/chapters/lr-finder/#the-sweep', 'http://x.test/chapters/softmax/?a=1')).toBe('http://x.test/chapters/lr-finder/#the-sweep');
  });
});
