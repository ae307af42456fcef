// BatchNorm's passes over an activation as a small SIMD WebAssembly module of our own, on TF.js's wasm memory: the
// per-channel sums, the sums of squared deviations, the normalisation (with the skip connection and ReLU), and for the
// gradient the two sums and the input's gradient. An activation [rows, C] (NHWC, rows = n * h * w) is read four
// channels at a time, row after row: one flat loop over its values, with the channel offset wrapping at C. C must be a
// multiple of 4. Every address and length is in bytes.
import {
  I32,
  V128,
  V128_ZERO,
  get,
  i32,
  instanceOn,
  loopWhileBelow,
  moduleBytes,
  op,
  s,
  set,
  simd,
  v128Load,
  v128Store,
  type WasmFunction,
  VOID,
} from './wasm-encode';

/** `at` moves on by 16 bytes; wraps to 0 at `end`. */
const wrapping = (at: number, end: number) => [
  ...get(at),
  ...i32(16),
  op.i32Add,
  ...set(at),
  ...get(at),
  ...get(end),
  op.i32Eq,
  op.if,
  VOID,
  ...i32(0),
  ...set(at),
  op.end,
];

/** Four floats at param/local `base` plus local `offset`. */
const load = (base: number, offset: number) => [...get(base), ...get(offset), op.i32Add, ...v128Load];
const addr = (base: number, offset: number) => [...get(base), ...get(offset), op.i32Add];

/** arrays[k][c] += value for c in C, where `value` pushes the four values to add. */
const accumulate = (base: number, c: number, value: number[]) => [
  ...addr(base, c),
  ...load(base, c),
  ...value,
  ...s(simd.add),
  ...v128Store,
];

/** Zeroes the per-channel arrays `bases` (cEnd bytes each) with the local `c`, leaving it at 0. */
const zero = (bases: number[], c: number, cEnd: number) => [
  ...loopWhileBelow(
    c,
    cEnd,
    16,
    bases.flatMap((b) => [...addr(b, c), ...V128_ZERO, ...v128Store]),
  ),
  ...i32(0),
  ...set(c),
];

/** The flat loop over an activation: local i over `total` bytes, local c over the channels' `cEnd`. */
const overValues = (i: number, total: number, c: number, cEnd: number, body: number[]) =>
  loopWhileBelow(i, total, 16, body, wrapping(c, cEnd));

const ints = (n: number) => Array<number>(n).fill(I32);

// sums(x, total, cEnd, out): out[c] = sum over rows of x[r, c].
const sums: WasmFunction = (() => {
  const [x, total, cEnd, out, i, c] = [0, 1, 2, 3, 4, 5];
  return {
    name: 'sums',
    params: ints(4),
    locals: [[2, I32]],
    code: [...zero([out], c, cEnd), ...overValues(i, total, c, cEnd, accumulate(out, c, load(x, i)))],
  };
})();

// squaredDeviations(x, total, cEnd, mean, out): out[c] = sum over rows of (x[r, c] - mean[c])^2.
const squaredDeviations: WasmFunction = (() => {
  const [x, total, cEnd, mean, out, i, c, v] = [0, 1, 2, 3, 4, 5, 6, 7];
  const deviation = [...load(x, i), ...load(mean, c), ...s(simd.sub), ...set(v)];
  return {
    name: 'squaredDeviations',
    params: ints(5),
    locals: [
      [2, I32],
      [1, V128],
    ],
    code: [
      ...zero([out], c, cEnd),
      ...overValues(i, total, c, cEnd, [...deviation, ...accumulate(out, c, [...get(v), ...get(v), ...s(simd.mul)])]),
    ],
  };
})();

// normalize(x, total, cEnd, scale, shift, skip, relu, out): out = x * scale[c] + shift[c] (+ skip) (then max with 0
// where relu is not 0); skip 0: none.
const normalize: WasmFunction = (() => {
  const [x, total, cEnd, scale, shift, skip, relu, out, i, c, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const body = [
    ...load(x, i),
    ...load(scale, c),
    ...s(simd.mul),
    ...load(shift, c),
    ...s(simd.add),
    ...set(v),
    ...get(skip),
    op.if,
    VOID,
    ...get(v),
    ...load(skip, i),
    ...s(simd.add),
    ...set(v),
    op.end,
    ...get(relu),
    op.if,
    VOID,
    ...get(v),
    ...V128_ZERO,
    ...s(simd.max),
    ...set(v),
    op.end,
    ...addr(out, i),
    ...get(v),
    ...v128Store,
  ];
  return {
    name: 'normalize',
    params: ints(8),
    locals: [
      [2, I32],
      [1, V128],
    ],
    code: overValues(i, total, c, cEnd, body),
  };
})();

// gradientSums(dy, y, x, total, cEnd, mean, relu, dz, dbeta, dxc): dz = dy, or dy where y > 0 when relu is not 0;
// dbeta[c] = sum of dz; dxc[c] = sum of dz * (x - mean[c]).
const gradientSums: WasmFunction = (() => {
  const [dy, y, x, total, cEnd, mean, relu, dz, dbeta, dxc, i, c, g] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const body = [
    ...load(dy, i),
    ...set(g),
    ...get(relu),
    op.if,
    VOID,
    ...get(g),
    ...load(y, i),
    ...V128_ZERO,
    ...s(simd.f32x4Gt),
    ...s(simd.and),
    ...set(g),
    op.end,
    ...addr(dz, i),
    ...get(g),
    ...v128Store,
    ...accumulate(dbeta, c, get(g)),
    ...accumulate(dxc, c, [...get(g), ...load(x, i), ...load(mean, c), ...s(simd.sub), ...s(simd.mul)]),
  ];
  return {
    name: 'gradientSums',
    params: ints(10),
    locals: [
      [2, I32],
      [1, V128],
    ],
    code: [...zero([dbeta, dxc], c, cEnd), ...overValues(i, total, c, cEnd, body)],
  };
})();

// inputGradient(dz, x, total, cEnd, a, b, d, dx): dx = a[c] dz + b[c] x + d[c].
const inputGradient: WasmFunction = (() => {
  const [dz, x, total, cEnd, a, b, d, dx, i, c] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const body = [
    ...addr(dx, i),
    ...load(a, c),
    ...load(dz, i),
    ...s(simd.mul),
    ...load(b, c),
    ...load(x, i),
    ...s(simd.mul),
    ...s(simd.add),
    ...load(d, c),
    ...s(simd.add),
    ...v128Store,
  ];
  return { name: 'inputGradient', params: ints(8), locals: [[2, I32]], code: overValues(i, total, c, cEnd, body) };
})();

export function batchNormModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return moduleBytes(shared, [sums, squaredDeviations, normalize, gradientSums, inputGradient]);
}

type Fn = (...args: number[]) => void;

/** The module's passes on `memory`; null where WebAssembly SIMD is missing. Arguments as the comments above say. */
export interface BatchNormPasses {
  sums(x: number, total: number, cEnd: number, out: number): void;
  squaredDeviations(x: number, total: number, cEnd: number, mean: number, out: number): void;
  normalize(
    x: number,
    total: number,
    cEnd: number,
    scale: number,
    shift: number,
    skip: number,
    relu: number,
    out: number,
  ): void;
  gradientSums(
    dy: number,
    y: number,
    x: number,
    total: number,
    cEnd: number,
    mean: number,
    relu: number,
    dz: number,
    dbeta: number,
    dxc: number,
  ): void;
  inputGradient(dz: number, x: number, total: number, cEnd: number, a: number, b: number, d: number, dx: number): void;
}

export function batchNormPassesOn(memory: WebAssembly.Memory): BatchNormPasses | null {
  const e = instanceOn('batch-norm', memory, batchNormModuleBytes);
  if (!e) return null;
  return {
    sums: e['sums'] as Fn,
    squaredDeviations: e['squaredDeviations'] as Fn,
    normalize: e['normalize'] as Fn,
    gradientSums: e['gradientSums'] as Fn,
    inputGradient: e['inputGradient'] as Fn,
  };
}
