import { describe, expect, it } from 'vitest';
import {
  crossEntropy,
  crossEntropyGradient,
  crossEntropyPerItem,
  logSoftmax,
  nll,
  sigmoid,
  softmax,
} from './probabilities';
import { chapterActs, chapterTargets } from './chapter-example';

// Reference numbers: ../shared/reference/README.md, section 4 (fastbook chapter 5).
const refSoftmax = [
  [0.6025, 0.3975],
  [0.5021, 0.4979],
  [0.1332, 0.8668],
  [0.9966, 0.0034],
  [0.5959, 0.4041],
  [0.3661, 0.6339],
];
const refPicked = [0.6025, 0.4979, 0.1332, 0.0034, 0.4041, 0.3661];
const refLosses = [0.5067, 0.6973, 2.016, 5.6958, 0.9062, 1.0048];

const refActs = [
  [0.6734, 0.2576],
  [0.4689, 0.4607],
  [-2.2457, -0.3727],
  [4.4164, -1.276],
  [0.9233, 0.5347],
  [1.0698, 1.6187],
];
/** The reference prints 4 decimals: a value matches when it rounds to the printed one. */
const rounds = (x: number, printed: number) => expect(Number(x.toFixed(4))).toBe(printed);

describe('the chapter example', () => {
  it('activations round to the reference values', () => {
    chapterActs.forEach((row, i) => row.forEach((a, j) => rounds(a, refActs[i]![j]!)));
  });
  it('softmax rows match the reference', () => {
    chapterActs.forEach((row, i) => {
      softmax(row).forEach((p, j) => rounds(p, refSoftmax[i]![j]!));
    });
  });
  it('sigmoid of the difference equals softmax column 0', () => {
    for (const [a, b] of chapterActs) expect(sigmoid(a - b)).toBeCloseTo(softmax([a, b])[0]!, 12);
  });
  it('picked probabilities match the reference', () => {
    chapterActs.forEach((row, i) => rounds(softmax(row)[chapterTargets[i]!]!, refPicked[i]!));
  });
  it('cross-entropy per item and mean match the reference to 1e-4', () => {
    const losses = crossEntropyPerItem(chapterActs, chapterTargets);
    losses.forEach((l, i) => expect(Math.abs(l - refLosses[i]!)).toBeLessThan(1e-4));
    expect(Math.abs(crossEntropy(chapterActs, chapterTargets) - 1.8045)).toBeLessThan(1e-4);
  });
});

describe('softmax', () => {
  it('sums to one and keeps order', () => {
    const p = softmax([3, -1, 0.5, 2]);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(p[3]!);
    expect(p[3]).toBeGreaterThan(p[2]!);
  });
  it('does not change when a constant is added', () => {
    const a = [0.3, -2, 1.7];
    softmax(a.map((x) => x + 50)).forEach((p, i) => expect(p).toBeCloseTo(softmax(a)[i]!, 12));
  });
  it('survives activations that would overflow exp', () => {
    const p = softmax([1000, 999]);
    expect(p[0]).toBeCloseTo(sigmoid(1), 12);
  });
  it('temperature flattens (high) or sharpens (low) the distribution', () => {
    const a = [2, 1, 0];
    expect(softmax(a, 10)[0]).toBeLessThan(softmax(a)[0]!);
    expect(softmax(a, 0.1)[0]).toBeGreaterThan(0.9999);
    expect(() => softmax(a, 0)).toThrow(RangeError);
  });
  it('log-softmax equals the log of softmax, and stays finite where softmax underflows', () => {
    const a = [1.5, -0.5, 2.25];
    logSoftmax(a).forEach((l, i) => expect(l).toBeCloseTo(Math.log(softmax(a)[i]!), 12));
    expect(logSoftmax([0, -2000])[1]).toBeCloseTo(-2000, 9);
  });
});

describe('nll and the gradient', () => {
  it('nll rejects a target outside the classes', () => {
    expect(() => nll([-0.1, -2], 2)).toThrow(RangeError);
    expect(() => crossEntropyPerItem([[1, 2]], [0, 1])).toThrow(RangeError);
  });
  it('the gradient softmax - one_hot matches finite differences', () => {
    const a = [0.4, -1.2, 2.0, 0.1];
    const target = 1;
    const loss = (x: number[]) => crossEntropy([x], [target]);
    const h = 1e-6;
    crossEntropyGradient(a, target).forEach((g, i) => {
      const up = [...a];
      const down = [...a];
      up[i]! += h;
      down[i]! -= h;
      expect(g).toBeCloseTo((loss(up) - loss(down)) / (2 * h), 6);
    });
  });
});
