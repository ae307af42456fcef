// The filter gradient's im2col layouts (./im2col.ts) written on TF.js's wasm heap, with our SIMD copies
// (./im2col-simd.ts) where there are: an input's stride phases, and from them the im2col matrix, one row per
// (tap, channel), one column per output pixel. (The forward convolution, ./wasm-conv2d.ts, writes its own by pixels.)
import type * as tf from '@tensorflow/tfjs-core';
import { writeColumns, writePhases, type TapGrid } from './im2col';
import { phaseGatherOn, runCopyOn } from './im2col-simd';
import { wasmMemoryOf } from './wasm-memory';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

type Keep = (t: tf.TensorInfo) => tf.TensorInfo;

/** x's stride phases, channel-major, on the heap, with `slack` zeros after them. */
export function phaseLayout(
  x: tf.TensorInfo,
  g: TapGrid,
  slack: number,
  backend: tf.KernelBackend,
  keep: Keep,
): tf.TensorInfo {
  const heap = backend as unknown as WasmHeap;
  const phases = keep(heap.makeOutput([g.s * g.s * x.shape[3]! * g.cells + slack], 'float32'));
  const p = heap.typedArrayFromHeap(phases);
  p.fill(0);
  const memory = wasmMemoryOf(backend);
  writePhases(heap.typedArrayFromHeap(x), x.shape, g, p, (memory && phaseGatherOn(memory)) ?? undefined);
  return phases;
}

/**
 * The im2col matrix of the filter rows i0 .. i0 + rows - 1 from the phase layout: [padded, n * oh * ow], its first
 * rows * kw * c rows written (row (i - i0, j, channel)), the rest, up to `padded`, left as they are.
 */
export function im2colColumns(
  phases: tf.TensorInfo,
  g: TapGrid,
  dims: { n: number; oh: number; ow: number; c: number; kw: number },
  i0: number,
  rows: number,
  padded: number,
  backend: tf.KernelBackend,
  keep: Keep,
): tf.TensorInfo {
  const heap = backend as unknown as WasmHeap;
  const memory = wasmMemoryOf(backend);
  const columns = keep(heap.makeOutput([padded, dims.n * dims.oh * dims.ow], 'float32'));
  // Views taken after the allocation, with nothing allocated in between (a growing heap would detach them).
  const copy = (memory && runCopyOn(memory)) ?? undefined;
  writeColumns(heap.typedArrayFromHeap(phases), g, dims, i0, rows, heap.typedArrayFromHeap(columns), copy);
  return columns;
}
