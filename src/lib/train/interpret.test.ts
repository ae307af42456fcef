import { describe, expect, it } from 'vitest';
import { accuracyOf, confusionMatrix, mostConfused, predictedClasses, topLosses } from './interpret';
import { crossEntropyPerItem, softmax } from '../maths/probabilities';
import { chapterActs, chapterTargets } from '../maths/chapter-example';
import { BREEDS } from '../../testing/pet-breeds';

const at = (name: string) => BREEDS.indexOf(name);

describe('interpretation of the chapter example (6 items, 2 classes)', () => {
  const probs = chapterActs.flatMap((a) => softmax([...a]));
  const predicted = predictedClasses(probs, 2);

  it('predicts the class with the larger activation', () => {
    expect([...predicted]).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('counts rows as actual and columns as predicted classes', () => {
    // targets [0,1,0,1,1,0]: items 0 right (0->0); 1 and 3 and 4 wrong (1->0); 2 wrong (0->1); 5 wrong (0->1).
    const m = confusionMatrix(chapterTargets, predicted, 2);
    expect(m).toEqual([
      [1, 2],
      [3, 0],
    ]);
    expect(accuracyOf(m)).toBeCloseTo(1 / 6, 12);
    expect(mostConfused(m, ['0', '1'])).toEqual([
      { actual: '1', predicted: '0', count: 3 },
      { actual: '0', predicted: '1', count: 2 },
    ]);
  });

  it("orders the top losses by the chapter's per-item cross-entropy (5.6958 first, then 2.0160, 1.0048)", () => {
    const losses = crossEntropyPerItem(chapterActs, chapterTargets);
    expect(topLosses(losses, 3)).toEqual([3, 2, 5]);
    expect(losses[3]).toBeCloseTo(5.6958, 4);
    expect(topLosses(losses, 10)).toEqual([3, 2, 5, 4, 1, 0]);
    expect(topLosses(losses, 0)).toEqual([]);
  });
});

describe('most_confused on the pets vocabulary', () => {
  it("reproduces the chapter's most_confused(min_val=5) list and order from a matrix with those cells", () => {
    const m = BREEDS.map(() => new Array<number>(BREEDS.length).fill(0));
    const cell = (a: string, p: string, n: number) => (m[at(a)]![at(p)] = n);
    BREEDS.forEach((_, i) => (m[i]![i] = 30)); // the diagonal is never listed
    cell('american_pit_bull_terrier', 'staffordshire_bull_terrier', 10);
    cell('Ragdoll', 'Birman', 8);
    cell('Siamese', 'Birman', 6);
    // Equal counts: fastai lists them in the matrix's row order, so the cat row (Bengal) comes before the dog row.
    cell('american_pit_bull_terrier', 'american_bulldog', 5);
    cell('Bengal', 'Egyptian_Mau', 5);
    cell('beagle', 'basset_hound', 4); // below the threshold
    const list = mostConfused(m, BREEDS, 5).map((p) => [p.actual, p.predicted, p.count]);
    expect(list).toEqual([
      ['american_pit_bull_terrier', 'staffordshire_bull_terrier', 10],
      ['Ragdoll', 'Birman', 8],
      ['Siamese', 'Birman', 6],
      ['Bengal', 'Egyptian_Mau', 5],
      ['american_pit_bull_terrier', 'american_bulldog', 5],
    ]);
    expect(mostConfused(m, BREEDS, 4)).toHaveLength(6);
    // A minimum of 0 still lists only cells that hold items.
    expect(mostConfused(m, BREEDS, 0)).toHaveLength(6);
  });

  it('builds the matrix from predictions and rejects bad input', () => {
    const targets = [at('Ragdoll'), at('Ragdoll'), at('Birman'), at('pug')];
    const predicted = [at('Birman'), at('Ragdoll'), at('Birman'), at('pug')];
    const m = confusionMatrix(targets, predicted, BREEDS.length);
    expect(m[at('Ragdoll')]![at('Birman')]).toBe(1);
    expect(m.flat().reduce((s, x) => s + x, 0)).toBe(4);
    expect(accuracyOf(m)).toBe(0.75);
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 targets but 1 predictions/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/outside 0..1/);
    expect(() => predictedClasses([0.1, 0.2, 0.7], 2)).toThrow(/do not split/);
    expect(accuracyOf([])).toBe(0);
  });

  it('keeps the first of equal probabilities, as argmax does', () => {
    expect([...predictedClasses([0.5, 0.5, 0.2, 0.2, 0.4, 0.4], 3)]).toEqual([0, 1]);
  });
});
