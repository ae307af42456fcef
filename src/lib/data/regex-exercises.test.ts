// The exercises against the real pets file names: each answer labels every name as wanted, and the usual mistakes
// (greedy where lazy is needed, no anchor) are caught with the names they get wrong.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPattern } from './regex-labels';
import { petLabel } from './labellers';
import { REGEX_EXERCISES, scoreExercise } from './regex-exercises';

const names = (
  JSON.parse(readFileSync('public/data/pets/manifest.json', 'utf8')) as { images: { name: string }[] }
).images.map((im) => im.name);
const exercise = (id: string) => REGEX_EXERCISES.find((e) => e.id === id)!;
const score = (id: string, pattern: string) => scoreExercise(exercise(id), names, applyPattern(pattern, names).labels);

describe('regex exercises on the pack file names', () => {
  it('each published answer labels every name correctly', () => {
    for (const e of REGEX_EXERCISES)
      expect(score(e.id, e.answer), e.id).toMatchObject({ correct: names.length, wrong: 0, mismatches: [] });
  });
  it("the breed exercise wants what the chapter's rule gives", () => {
    for (const n of names) expect(exercise('breed').want(n)).toBe(petLabel(n)!.breed);
  });
  it('a lazy group for the breed cuts multi-word breeds at their first underscore', () => {
    const s = score('breed', '^(.+?)_');
    const multiWord = names.filter((n) => petLabel(n)!.breed.includes('_')).length;
    expect(multiWord).toBeGreaterThan(0);
    expect(s.wrong).toBe(multiWord);
    expect(s.mismatches[0]!.got).toBe(s.mismatches[0]!.want!.split('_')[0]);
  });
  it('a greedy group for the first word keeps the whole breed', () => {
    const s = score('first-word', '^(.+)_');
    expect(s.wrong).toBeGreaterThan(0);
    expect(s.mismatches.every((m) => m.got !== null && m.got.startsWith(`${m.want}_`))).toBe(true);
  });
  it('a pattern that labels every breed fails the cats exercise on exactly the dog names', () => {
    const everything = score('cats', '(.+)_\\d+\\.jpg$');
    const dogs = names.filter((n) => petLabel(n)!.species === 'dog').length;
    expect(dogs).toBeGreaterThan(0);
    expect(everything.wrong).toBe(dogs);
    expect(everything.mismatches[0]!.want).toBeNull();
  });
  it('shows at most the asked number of mismatches, in name order', () => {
    const s = scoreExercise(
      exercise('number'),
      names,
      names.map(() => null),
      3,
    );
    expect(s.mismatches.map((m) => m.name)).toEqual(names.slice(0, 3));
    expect(s.correct).toBe(0);
  });
});
