// A filter's taps picked and reordered by block copies on TF.js's wasm heap. Each tap of a [kh, kw, a, b] filter is
// one contiguous block of a * b values, so a reversal (the input gradient's filter turned 180 degrees) or a stride's
// share of the taps (one phase of a strided input gradient) is a handful of copies. TF.js wasm's Reverse, Gather
// and StridedSlice walk such a filter value by value: 43 ms for a 3x3x256x256 one on a 2-core EPYC, against 2.5 ms.
import type * as tf from '@tensorflow/tfjs-core';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * filter [kh, kw, ...rest] (float32) to [rows.length, cols.length, ...rest] whose tap (i, j) is filter's tap
 * (rows[i], cols[j]). Every index must lie inside the filter.
 */
export function pickTaps(
  backend: tf.KernelBackend,
  filter: tf.TensorInfo,
  rows: readonly number[],
  cols: readonly number[],
): tf.TensorInfo {
  const [kh, kw, ...rest] = filter.shape as number[];
  if (filter.dtype !== 'float32') throw new Error(`pickTaps takes a float32 filter, not ${filter.dtype}`);
  for (const [index, size] of [
    [rows, kh!],
    [cols, kw!],
  ] as const) {
    if (index.some((k) => !Number.isInteger(k) || k < 0 || k >= size))
      throw new Error(`pickTaps: tap index out of 0..${size - 1} in [${index.join(', ')}]`);
  }
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput([rows.length, cols.length, ...rest], 'float32');
  // Views taken after the allocation, with nothing allocated in between (a growing wasm memory would detach them).
  const src = heap.typedArrayFromHeap(filter);
  const dst = heap.typedArrayFromHeap(out);
  const tap = rest.reduce((a, b) => a * b, 1);
  let at = 0;
  for (const r of rows) {
    for (const c of cols) {
      const from = (r * kw! + c) * tap;
      dst.set(src.subarray(from, from + tap), at);
      at += tap;
    }
  }
  return out;
}

/** The indices size - 1 - first, size - 1 - (first + step), ..., count of them: a reversed filter's strided taps. */
export function reversedTaps(size: number, first: number, step: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => size - 1 - (first + step * i));
}
