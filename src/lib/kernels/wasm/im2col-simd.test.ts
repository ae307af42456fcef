// The phase layout written by our SIMD copy against the JavaScript one, value for value.
import { describe, expect, it } from 'vitest';
import { tapGrid, writeColumns, writePhases } from './im2col';
import { im2colModuleBytes, phaseGatherOn, runCopyOn } from './im2col-simd';

/** The first index where the two differ (-1: none): a failure names it rather than diffing thousands of values. */
const firstDifference = (a: Float32Array, b: Float32Array) =>
  a.length !== b.length ? -2 : a.findIndex((v, i) => !Object.is(v, b[i]));

const CASES: { name: string; shape: [number, number, number, number]; s: number; pad: number }[] = [
  { name: '4 channels, stride 1, padding 1, odd width', shape: [2, 5, 7, 4], s: 1, pad: 1 },
  { name: '8 channels, stride 2, padding 1', shape: [3, 8, 9, 8], s: 2, pad: 1 },
  { name: '12 channels, stride 2, no padding, 3 pixels a phase row', shape: [1, 6, 6, 12], s: 2, pad: 0 },
  { name: '32 channels, stride 1, 24 x 24', shape: [2, 24, 24, 32], s: 1, pad: 1 },
  { name: '3 channels (JavaScript only), stride 2', shape: [2, 6, 5, 3], s: 2, pad: 1 },
  { name: '8 channels, stride 1, 4 x 4 (runs of exactly 16 bytes)', shape: [3, 4, 4, 8], s: 1, pad: 1 },
  { name: '4 channels, stride 2, 16 x 18 (runs of 32 and 36 bytes)', shape: [2, 16, 18, 4], s: 2, pad: 1 },
];

describe('our SIMD phase-layout copy', () => {
  it('is a valid module, plain and shared', () => {
    expect(WebAssembly.validate(im2colModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(im2colModuleBytes(true))).toBe(true);
  });
  for (const c of CASES) {
    it(`writes what the JavaScript copy writes: ${c.name}`, () => {
      const [n, h, w, ch] = c.shape;
      const g = tapGrid(n, Math.ceil(h / c.s), Math.ceil(w / c.s), 3, 3, c.s, c.pad, c.pad);
      const size = n * h * w * ch;
      const outSize = c.s * c.s * ch * g.cells;
      const memory = new WebAssembly.Memory({ initial: Math.ceil(((size + 2 * outSize + 16) * 4) / 65536) + 1 });
      const x = new Float32Array(memory.buffer, 16, size);
      for (let i = 0; i < size; i++) x[i] = Math.sin(i * 0.7) + i * 1e-3;
      const ours = new Float32Array(memory.buffer, 16 + 4 * size, outSize);
      const want = new Float32Array(outSize);
      writePhases(x, c.shape, g, ours, phaseGatherOn(memory)!);
      writePhases(x, c.shape, g, want);
      expect(firstDifference(ours, want)).toBe(-1);
      expect(want.some((v) => v !== 0)).toBe(true);
    });
  }
  for (const c of CASES) {
    it(`writes the im2col matrix the JavaScript copy writes: ${c.name}`, () => {
      const [n, h, w, ch] = c.shape;
      const [oh, ow] = [Math.ceil(h / c.s), Math.ceil(w / c.s)];
      const g = tapGrid(n, oh, ow, 3, 3, c.s, c.pad, c.pad);
      const phasesSize = c.s * c.s * ch * g.cells;
      const rows = 2; // taps (1..2, every j)
      const colsSize = rows * 3 * ch * n * oh * ow;
      const memory = new WebAssembly.Memory({ initial: Math.ceil(((phasesSize + colsSize + 16) * 4) / 65536) + 1 });
      const phases = new Float32Array(memory.buffer, 16, phasesSize);
      for (let i = 0; i < phasesSize; i++) phases[i] = Math.cos(i * 0.37) + i * 1e-4;
      const ours = new Float32Array(memory.buffer, 16 + 4 * phasesSize, colsSize);
      const want = new Float32Array(colsSize);
      const dims = { n, oh, ow, c: ch, kw: 3 };
      writeColumns(phases, g, dims, 1, rows, ours, runCopyOn(memory)!);
      writeColumns(phases, g, dims, 1, rows, want);
      expect(firstDifference(ours, want)).toBe(-1);
    });
  }
});
