// Test support for every training-mode BatchNorm we have (TF.js ops with our gradient, our WebGPU kernels): input
// shapes with and without the skip connection and ReLU, and the output, batch statistics and every input's gradient
// for fixed inputs, to compare with TF.js's own ops and autodiff on the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { trainBatchNormAutodiff, type TrainBatchNorm } from '../lib/model/batch-norm-ops';

/** TF.js's ops differentiated by TF.js: the reference. */
export const plainBatchNorm = trainBatchNormAutodiff;

type Shape4 = [number, number, number, number];

export interface BatchNormCase {
  name: string;
  shape: Shape4;
  skip: boolean;
  relu: boolean;
}

export const BATCH_NORM_CASES: BatchNormCase[] = [
  { name: 'odd sizes, 3 channels, ReLU', shape: [2, 5, 7, 3], skip: false, relu: true },
  { name: 'one image, 1 channel, no ReLU', shape: [1, 3, 3, 1], skip: false, relu: false },
  { name: 'skip connection then ReLU, 5 channels', shape: [3, 4, 6, 5], skip: true, relu: true },
  { name: 'skip connection without ReLU', shape: [2, 3, 3, 4], skip: true, relu: false },
  {
    name: 'more rows than a workgroup has threads (600 rows, 128 lanes), 8 channels',
    shape: [6, 10, 10, 8],
    skip: true,
    relu: true,
  },
  {
    name: 'many rows (1,600, the full 256 lanes), 3 channels, no ReLU',
    shape: [4, 20, 20, 3],
    skip: false,
    relu: false,
  },
];

export const OUTPUT_NAMES = ['output', 'moments', 'dx', 'dgamma', 'dbeta', 'dskip'];

const rnd = (n: number, seed: number, scale = 1, shift = 0) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * scale + shift);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Output, moments, and the gradients of sum(out * w) in x, gamma, beta (and skip), on the current backend. */
export async function batchNormCaseOn(c: BatchNormCase, bn: TrainBatchNorm, eps: number): Promise<Float32Array[]> {
  const ch = c.shape[3];
  const x = tf.tensor4d(rnd(size(c.shape), 1, 2, 0.5), c.shape);
  const gamma = tf.tensor1d(rnd(ch, 2, 0.5, 1));
  const beta = tf.tensor1d(rnd(ch, 3, 0.3));
  const skip = c.skip ? tf.tensor4d(rnd(size(c.shape), 4), c.shape) : null;
  const w = tf.tensor4d(rnd(size(c.shape), 5), c.shape);
  let moments: tf.Tensor | null = null;
  // The first call keeps its batch statistics; the one inside tf.grads frees them.
  const apply = (xs: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D, s: tf.Tensor4D | null) => {
    const r = bn(xs, g, b, s, c.relu, eps);
    if (moments) r.moments.dispose();
    else moments = r.moments;
    return r.out;
  };
  const inputs = skip ? [x, gamma, beta, skip] : [x, gamma, beta];
  const out = tf.tidy(() => apply(x, gamma, beta, skip));
  const grads = tf.grads((...t: tf.Tensor[]) =>
    tf.sum(
      tf.mul(apply(t[0] as tf.Tensor4D, t[1] as tf.Tensor1D, t[2] as tf.Tensor1D, (t[3] as tf.Tensor4D) ?? null), w),
    ),
  )(inputs);
  const values = await Promise.all([out, moments!, ...grads].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([x, gamma, beta, skip, w, out, moments!, ...grads].filter((t): t is tf.Tensor => t !== null));
  return values;
}
