import { describe, expect, it } from 'vitest';
import { hitFor, markedWords, matchesQuery, type PagefindData } from './search-client';

const loc = (...scores: number[]) => scores.map((balanced_score, i) => ({ weight: 1, balanced_score, location: i }));

describe('search hits', () => {
  const page: PagefindData = {
    url: '/chapters/lr-finder/',
    excerpt: 'page excerpt',
    meta: { title: 'The learning-rate finder' },
    sub_results: [
      { url: '/chapters/lr-finder/', title: 'The learning-rate finder', excerpt: 'intro', weighted_locations: loc(1) },
      {
        url: '/chapters/lr-finder/#the-sweep',
        title: 'The sweep',
        excerpt: 'the <mark>valley</mark> once',
        weighted_locations: loc(2),
      },
      {
        url: '/chapters/lr-finder/#suggestions',
        title: 'Suggestions',
        excerpt: '<mark>valley</mark> and <mark>valley</mark>',
        weighted_locations: loc(2, 3),
      },
    ],
  };
  it('link to the section where the query scores highest, with its excerpt and heading', () => {
    expect(hitFor(page)).toEqual({
      url: '/chapters/lr-finder/#suggestions',
      title: 'The learning-rate finder',
      section: 'Suggestions',
      excerpt: '<mark>valley</mark> and <mark>valley</mark>',
    });
  });
  it('keep the page when the match is in its opening, before any heading', () => {
    const opening = { ...page, sub_results: [page.sub_results![0]!] };
    expect(hitFor(opening)).toEqual({
      url: '/chapters/lr-finder/',
      title: 'The learning-rate finder',
      excerpt: 'intro',
    });
  });
  it('fall back to the page without sections', () => {
    expect(hitFor({ url: '/x/', excerpt: 'e', meta: {} })).toEqual({ url: '/x/', title: '/x/', excerpt: 'e' });
  });
});

describe('real matches', () => {
  it('drop a page found only through a piece of an unknown word', () => {
    const d = { excerpt: "After a = <mark>['x'];</mark> t = L(a)" };
    expect(markedWords(d.excerpt)).toEqual(['x']);
    expect(matchesQuery('xyzzy', d)).toBe(false);
  });
  it('keep exact words, stems, words being typed and title-only matches', () => {
    expect(matchesQuery('likelihood', { excerpt: 'the <mark>likelihood</mark> of' })).toBe(true);
    expect(matchesQuery('learning', { excerpt: 'we <mark>learn</mark> it' })).toBe(true);
    expect(matchesQuery('likel', { excerpt: 'the <mark>likelihood</mark>' })).toBe(true);
    expect(matchesQuery('lr', { excerpt: 'the <mark>lr</mark> finder' })).toBe(true);
    expect(matchesQuery('softmax', { excerpt: 'no marks here' })).toBe(true);
    expect(
      matchesQuery('valley', {
        excerpt: 'x',
        sub_results: [{ url: '/a/#b', title: 'b', excerpt: '<mark>valley</mark>' }],
      }),
    ).toBe(true);
  });
});
