// The phase split against the definition of a strided convolution's input gradient, in one dimension, exhaustively
// over small sizes, strides, paddings and filter sizes (plain arithmetic, no backend).
import { describe, expect, it } from 'vitest';
import { stridePhases } from './stride-phases';

/** dx[y] = sum over o, t with o * s + t - pad = y of dy[o] * w[t]: the definition. */
function direct(dy: number[], w: number[], size: number, s: number, pad: number): number[] {
  const dx = new Array<number>(size).fill(0);
  dy.forEach((g, o) =>
    w.forEach((v, t) => {
      const y = o * s + t - pad;
      if (y >= 0 && y < size) dx[y]! += g * v;
    }),
  );
  return dx;
}

/** The same from the phases: each a stride-1 correlation of the padded rows with its taps, turned around. */
function byPhases(dy: number[], w: number[], size: number, s: number, pad: number): number[] {
  const { length, phases } = stridePhases(size, dy.length, s, pad, w.length);
  const flipped = [...w].reverse();
  const dx = new Array<number>(length * s).fill(0);
  phases.forEach((p, r) => {
    if (p.taps === 0) return;
    const rows = [
      ...new Array<number>(p.padBefore).fill(0),
      ...dy.slice(p.first, p.first + p.count),
      ...new Array<number>(p.padAfter).fill(0),
    ];
    expect(rows.length).toBe(length + p.taps - 1);
    for (let a = 0; a < length; a++) {
      for (let j = 0; j < p.taps; j++) dx[a * s + r]! += rows[a + j]! * flipped[p.flippedBegin + s * j]!;
    }
  });
  return dx.slice(0, size);
}

describe('stridePhases', () => {
  it('gives the input gradient of the definition for every small case', () => {
    let cases = 0;
    for (const s of [1, 2, 3]) {
      for (const k of [1, 2, 3, 5]) {
        for (let pad = 0; pad < k; pad++) {
          for (let size = Math.max(1, k - 2 * pad); size <= 9; size++) {
            const outSize = Math.floor((size + 2 * pad - k) / s) + 1;
            if (outSize < 1) continue;
            const dy = Array.from({ length: outSize }, (_, i) => ((i * 7 + 3) % 11) - 5);
            const w = Array.from({ length: k }, (_, i) => ((i * 5 + 2) % 7) - 3);
            expect(byPhases(dy, w, size, s, pad), `size ${size} stride ${s} pad ${pad} k ${k}`).toEqual(
              direct(dy, w, size, s, pad),
            );
            cases++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(200);
  });
  it('splits ResNet-S stride-2 layers into taps 1 and 2 (3x3) and 1 and none (1x1)', () => {
    expect(stridePhases(48, 24, 2, 1, 3).phases.map((p) => p.taps)).toEqual([1, 2]);
    expect(stridePhases(48, 24, 2, 0, 1).phases.map((p) => p.taps)).toEqual([1, 0]);
  });
});
