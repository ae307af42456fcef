import { describe, expect, it } from 'vitest';
import { applyPattern, compileLabelPattern, failedResult } from './regex-labels';

describe('applyPattern', () => {
  const names = ['Birman_1.jpg', 'Birman_2.jpg', 'great_pyrenees_17.jpg', 'notes.txt'];
  it("labels with the chapter's rule, counts classes, flags what does not match", () => {
    const r = applyPattern('(.+)_\\d+.jpg$', names);
    expect(r.labels).toEqual(['Birman', 'Birman', 'great_pyrenees', null]);
    expect(r.counts).toEqual([
      ['Birman', 2],
      ['great_pyrenees', 1],
    ]);
    expect(r.unmatched).toBe(1);
  });
  it('uses the whole match when the pattern has no group', () => {
    expect(applyPattern('^[A-Z]', names).labels).toEqual(['B', 'B', null, null]);
  });
  it('a lazy group stops at the first underscore where the greedy one takes the whole breed', () => {
    expect(applyPattern('^(.+?)_', names).labels).toEqual(['Birman', 'Birman', 'great', null]);
    expect(applyPattern('^(.+)_', names).labels).toEqual(['Birman', 'Birman', 'great_pyrenees', null]);
  });
  it('reports an invalid pattern instead of throwing', () => {
    const r = applyPattern('(.+_\\d+', names);
    expect(r.error).toMatch(/^Not a valid regular expression/);
    expect(r.unmatched).toBe(4);
  });
});

describe('compileLabelPattern', () => {
  it('compiles a hostile pattern without running it (compiling cannot hang, matching can)', () => {
    expect(compileLabelPattern('(.+)+z').re).toBeInstanceOf(RegExp);
    expect(compileLabelPattern('(\\w+)+!').error).toBeNull();
  });
  it('names what is wrong with an invalid one', () => {
    for (const bad of ['(', '[a-', '*x', 'a{2,1}', '(?<n>a)(?<n>b)']) {
      const c = compileLabelPattern(bad);
      expect(c.re).toBeNull();
      expect(c.error).toMatch(/^Not a valid regular expression: \/.*\/: \S/);
    }
  });
  it('a failed result labels nothing and counts every name as unmatched', () => {
    expect(failedResult('why', 3)).toEqual({ error: 'why', labels: [null, null, null], counts: [], unmatched: 3 });
  });
});
