// A slice on TF.js's wasm heap by contiguous block copies. The stock wasm Slice first reads its whole input out of
// the heap into a new array (readSync), whatever the size of the slice, then copies row by row from that copy.
import type * as tf from '@tensorflow/tfjs-core';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/** x[begin[a] .. begin[a] + size[a]) along every axis a, for a float32 x. */
export function heapSlice(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): tf.TensorInfo {
  const shape = x.shape;
  if (x.dtype !== 'float32') throw new Error(`heapSlice takes float32, not ${x.dtype}`);
  if (begin.length !== shape.length || size.length !== shape.length)
    throw new Error(`heapSlice: begin and size must have rank ${shape.length}`);
  shape.forEach((d, a) => {
    if (begin[a]! < 0 || size[a]! < 0 || begin[a]! + size[a]! > d)
      throw new Error(`heapSlice: [${begin}] + [${size}] reaches past shape [${shape}]`);
  });
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput([...size], 'float32');
  // Views taken after the allocation (a growing heap would detach them).
  const src = heap.typedArrayFromHeap(x);
  const dst = heap.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  // The innermost axis not taken whole: each of its runs, with everything inside it, is one contiguous block.
  let k = shape.length - 1;
  let inner = 1;
  while (k > 0 && size[k] === shape[k]) inner *= shape[k--]!;
  const run = size[k]! * inner;
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
  const index = new Array<number>(k).fill(0);
  let to = 0;
  for (;;) {
    let from = begin[k]! * strides[k]!;
    for (let a = 0; a < k; a++) from += (begin[a]! + index[a]!) * strides[a]!;
    dst.set(src.subarray(from, from + run), to);
    to += run;
    let a = k - 1;
    while (a >= 0 && ++index[a]! === size[a]) index[a--] = 0;
    if (a < 0) break;
  }
  return out;
}
