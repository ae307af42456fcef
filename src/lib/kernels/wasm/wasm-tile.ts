// Tile for TF.js's wasm backend by block copies. The stock kernel works out every output value's source index
// through the whole shape (about 100 ns a value on a 2-core EPYC: 6.6 ms for the global average pool's gradient,
// [16, 1, 1, 256] tiled to [16, 4, 4, 256], one call per ResNet-S step). Tiled one axis at a time from the innermost,
// each repetition is one contiguous block: a few set() calls per outer index. float32 only; the rest, and the stock
// kernel set, go to the stock kernel.
import * as tf from '@tensorflow/tfjs-core';
import { kernelSet } from '../switches';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/** x (of `shape`) repeated reps[a] times along each axis a, as TF.js's tile. */
export function tileValues(x: Float32Array, shape: readonly number[], reps: readonly number[]): Float32Array {
  if (shape.length !== reps.length) throw new Error(`tile: ${reps.length} repetitions for a rank-${shape.length} x`);
  let values = x;
  // After tiling axes a..rank-1, `inner` values make up one index of axis a - 1.
  let inner = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    const block = shape[a]! * inner;
    const times = reps[a]!;
    if (times !== 1) {
      const outer = values.length / block;
      const next = new Float32Array(values.length * times);
      for (let o = 0; o < outer; o++) {
        const from = values.subarray(o * block, (o + 1) * block);
        for (let t = 0; t < times; t++) next.set(from, (o * times + t) * block);
      }
      values = next;
    }
    inner = block * times;
  }
  return values;
}

/** Puts ours in front of wasm's own Tile (kept for other dtypes and the stock kernel set). */
export function registerWasmTile(): void {
  const original = tf.getKernel('Tile', 'wasm');
  if (!original || (original.kernelFunc as { ours?: boolean }).ours) return;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const reps = (args.attrs as unknown as { reps: number[] }).reps;
    if (kernelSet() !== 'ours' || x.dtype !== 'float32' || reps.length !== x.shape.length)
      return original.kernelFunc(args as never);
    const heap = args.backend as unknown as WasmHeap;
    const values = tileValues(heap.typedArrayFromHeap(x).slice(), x.shape, reps);
    const out = heap.makeOutput(
      x.shape.map((d, a) => d * reps[a]!),
      'float32',
    );
    heap.typedArrayFromHeap(out).set(values);
    return out;
  }) as tf.KernelFunc & { ours?: boolean };
  kernelFunc.ours = true;
  tf.unregisterKernel('Tile', 'wasm');
  // The stock kernel binds its wasm function in setupFunc, which the backend runs when it starts.
  tf.registerKernel({ ...original, kernelFunc });
}
