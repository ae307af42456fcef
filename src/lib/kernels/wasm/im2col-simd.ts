// The phase layout's copy (./im2col.ts, writePhases) as a small SIMD WebAssembly module of our own, on TF.js's wasm
// memory: one input row's pixels of one column phase, [count pixels][C channels] at `ps` bytes a pixel, written
// channel by channel as runs of cells `cs` bytes apart, four pixels by four channels at a time (a 4 x 4 transpose in
// registers). About 5 ns a value in JavaScript; C must be a multiple of 4. Every address and stride is in bytes.
import {
  addTo,
  I32,
  V128,
  get,
  i32,
  instanceOn,
  loopWhileBelow,
  moduleBytes,
  op,
  set,
  shuffle32,
  tee,
  v128Load,
  v128Store,
  MEM,
  MEMORY_COPY,
  type WasmFunction,
} from './wasm-encode';
import type { PhaseGather, RunCopy } from './im2col';

const [src, ps, dst, cs, count, cBytes] = [0, 1, 2, 3, 4, 5];
const [k, dk, sp, dp, t, count4, ps4, q, r] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
const [a0, a1, a2, a3] = [15, 16, 17, 18];

/** local += local2 (or a constant). */

/** Four pixels' four channels, transposed: channel i's four pixels stored at dp + i * cs. */
const block = [
  ...get(sp),
  ...tee(q),
  ...v128Load,
  ...set(a0),
  ...[a1, a2, a3].flatMap((a) => [...addTo(q, get(ps)), ...get(q), ...v128Load, ...set(a)]),
  // [p0c0 p1c0 p0c1 p1c1], [p0c2 p1c2 p0c3 p1c3], likewise for pixels 2 and 3
  ...[
    [a0, a1],
    [a2, a3],
  ].flatMap(([x, y]) => [
    ...get(x!),
    ...get(y!),
    ...shuffle32([0, 4, 1, 5]),
    ...get(x!),
    ...get(y!),
    ...shuffle32([2, 6, 3, 7]),
    ...set(y!),
    ...set(x!),
  ]),
  ...get(dp),
  ...set(q),
  ...(
    [
      [a0, a2, [0, 1, 4, 5]],
      [a0, a2, [2, 3, 6, 7]],
      [a1, a3, [0, 1, 4, 5]],
      [a1, a3, [2, 3, 6, 7]],
    ] as [number, number, [number, number, number, number]][]
  ).flatMap(([x, y, lanes], i) => [
    ...(i > 0 ? addTo(q, get(cs)) : []),
    ...get(q),
    ...get(x),
    ...get(y),
    ...shuffle32(lanes),
    ...v128Store,
  ]),
  ...addTo(sp, get(ps4)),
  ...addTo(dp, i32(16)),
];

/** One pixel's four channels, one at a time (the row's last count % 4 pixels). */
const single = [
  ...get(dp),
  ...set(q),
  ...get(sp),
  ...set(r),
  ...[0, 1, 2, 3].flatMap((i) => [
    ...(i > 0 ? [...addTo(q, get(cs)), ...addTo(r, i32(4))] : []),
    ...get(q),
    ...get(r),
    op.f32Load,
    ...MEM,
    op.f32Store,
    ...MEM,
  ]),
  ...addTo(sp, get(ps)),
  ...addTo(dp, i32(4)),
];

const gatherPhase: WasmFunction = {
  name: 'gatherPhase',
  params: Array<number>(6).fill(I32),
  locals: [
    [9, I32],
    [4, V128],
  ],
  code: [
    ...get(count),
    ...i32(-4),
    op.i32And,
    ...set(count4),
    ...get(ps),
    ...i32(2),
    op.i32Shl,
    ...set(ps4),
    ...get(dst),
    ...set(dk),
    ...loopWhileBelow(k, cBytes, 16, [
      ...get(src),
      ...get(k),
      op.i32Add,
      ...set(sp),
      ...get(dk),
      ...set(dp),
      ...i32(0),
      ...set(t),
      ...loopWhileBelow(t, count4, 4, block),
      ...loopWhileBelow(t, count, 1, single),
      ...addTo(dk, [...get(cs), ...i32(2), op.i32Shl]),
    ]),
  ],
};

// copyRuns(src, dst, images, imageStride, runs, runStride, runBytes): writeColumns's copy of one tap, to dst onwards:
// `images` images imageStride bytes apart from src, each `runs` runs of runBytes bytes runStride bytes apart.
const copyRuns: WasmFunction = (() => {
  const [from, to, images, imageStride, runs, runStride, runBytes, im, run, p] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const oneRun = [...get(to), ...get(p), ...get(runBytes), ...MEMORY_COPY, ...addTo(p, get(runStride))];
  const oneImage = [
    ...get(from),
    ...get(im),
    ...get(imageStride),
    op.i32Mul,
    op.i32Add,
    ...set(p),
    ...i32(0),
    ...set(run),
    ...loopWhileBelow(run, runs, 1, [...oneRun, ...addTo(to, get(runBytes))]),
  ];
  return {
    name: 'copyRuns',
    params: Array<number>(7).fill(I32),
    locals: [[3, I32]],
    code: loopWhileBelow(im, images, 1, oneImage),
  };
})();

export function im2colModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return moduleBytes(shared, [gatherPhase, copyRuns]);
}

/** The module's run copy on `memory`; null where WebAssembly SIMD is missing. */
export function runCopyOn(memory: WebAssembly.Memory): RunCopy | null {
  return (instanceOn('im2col', memory, im2colModuleBytes)?.['copyRuns'] as RunCopy | undefined) ?? null;
}

/** The module's copy on `memory`; null where WebAssembly SIMD is missing. */
export function phaseGatherOn(memory: WebAssembly.Memory): PhaseGather | null {
  return (instanceOn('im2col', memory, im2colModuleBytes)?.['gatherPhase'] as PhaseGather | undefined) ?? null;
}
