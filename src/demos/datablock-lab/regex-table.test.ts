import { describe, expect, it } from 'vitest';
import { applyPattern } from './regex-table';

describe('applyPattern', () => {
  const names = ['Birman_1.jpg', 'Birman_2.jpg', 'great_pyrenees_17.jpg', 'notes.txt'];
  it("labels with the chapter's rule, counts classes, flags what does not match", () => {
    const r = applyPattern('(.+)_\\d+.jpg$', names);
    expect(r.labels).toEqual(['Birman', 'Birman', 'great_pyrenees', null]);
    expect(r.counts).toEqual([['Birman', 2], ['great_pyrenees', 1]]);
    expect(r.unmatched).toBe(1);
  });
  it('uses the whole match when the pattern has no group', () => {
    expect(applyPattern('^[A-Z]', names).labels).toEqual(['B', 'B', null, null]);
  });
  it('reports an invalid pattern instead of throwing', () => {
    const r = applyPattern('(.+_\\d+', names);
    expect(r.error).toMatch(/^Not a valid regular expression/);
    expect(r.unmatched).toBe(4);
  });
});
