// Sum and Mean over every axis but the last (BatchNorm's statistics and gradients, per channel over the batch and
// the pixels) for TF.js's wasm backend. The stock kernels first transpose the whole activation so the reduced axes
// come innermost, then reduce. XNNPACK's average pooling reads the channels where they lie: one pooling window over
// all the pixels ([n, h, w, c] seen as one image of n * h rows) is the mean, times the count the sum; 5-10x faster
// than the stock Mean on the ResNet-S activations (fresh tensors, 2-core Zen 4; ones x X through a 1x1 convolution
// measured slower, its packing of X being a pass of its own). Every other reduction (and the stock kernel set) goes to
// the stock kernel.
import * as tf from '@tensorflow/tfjs-core';
import { kernelSet } from '../switches';
import { runWasm, type WasmBackend } from './wasm-run';

type Backend = WasmBackend;
type Args = { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend };

const run = (name: string, backend: Backend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) =>
  runWasm(name, backend, inputs, attrs, 'column sums');

/** Whether `axis` names every axis of a rank-`rank` tensor but the last (in any order, negatives allowed). */
export function allButLast(axis: number | number[], rank: number): boolean {
  if (rank < 2) return false;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort(
    (a, b) => a - b,
  );
  return axes.length === rank - 1 && axes.every((a, i) => a === i);
}

/** Each column's sum or mean of x seen as [rows, C], as one average-pooling window over all rows. */
export function columnSums(
  x: tf.TensorInfo,
  scale: 'sum' | 'mean',
  keepDims: boolean,
  backend: Backend,
): tf.TensorInfo {
  const c = x.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(x.shape) / c;
  const [height, width] = x.shape.length === 4 ? [x.shape[0]! * x.shape[1]!, x.shape[2]!] : [rows, 1];
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    const image = keep(run('Reshape', backend, { x }, { shape: [1, height, width, c] }));
    let out = keep(
      run('AvgPool', backend, { x: image }, {
        filterSize: [height, width],
        strides: [1, 1],
        pad: 'valid',
        dimRoundingMode: null,
      } as unknown as tf.NamedAttrMap),
    );
    if (scale === 'sum') {
      const count = keep(run('Fill', backend, {}, { shape: [], value: rows, dtype: 'float32' }));
      out = keep(run('Multiply', backend, { a: out, b: count }, {}));
    }
    return run('Reshape', backend, { x: out }, { shape: keepDims ? [...x.shape.slice(0, -1).map(() => 1), c] : [c] });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function wrap(name: 'Sum' | 'Mean'): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original || (original.kernelFunc as { ours?: boolean }).ours) return;
  const kernelFunc = ((args: Args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    return kernelSet() === 'ours' &&
      x.dtype === 'float32' &&
      x.shape.length >= 2 &&
      tf.util.sizeFromShape(x.shape) > 0 &&
      allButLast(axis, x.shape.length)
      ? columnSums(x, name === 'Mean' ? 'mean' : 'sum', keepDims, args.backend as Backend)
      : original.kernelFunc(args as never);
  }) as tf.KernelFunc & { ours?: boolean };
  kernelFunc.ours = true;
  tf.unregisterKernel(name, 'wasm');
  // The stock kernel binds its wasm function in setupFunc, which the backend runs when it starts.
  tf.registerKernel({ ...original, kernelFunc });
}

/** Puts ours in front of wasm's own Sum and Mean. */
export function registerWasmColumnSums(): void {
  wrap('Sum');
  wrap('Mean');
}
