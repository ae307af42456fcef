// Test support shared by the kernel tests of every backend: the Conv2DBackpropFilter shapes to check (odd and even
// sizes, strides 1 and 2, 'same', 'valid' and explicit padding, 1x1 and 3x3, batch 1 and more) and the gradient
// of fixed pseudo-random inputs on a given backend.
import * as tf from '@tensorflow/tfjs-core';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
type Shape4 = [number, number, number, number];

export interface FilterGradCase {
  name: string;
  x: Shape4;
  k: number;
  cout: number;
  stride: number;
  pad: Pad;
}

export const FILTER_GRAD_CASES: FilterGradCase[] = [
  { name: '3x3 stride 1 same, odd size, batch 1', x: [1, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { name: '3x3 stride 2 same, even size, batch 3', x: [3, 8, 8, 2], k: 3, cout: 5, stride: 2, pad: 'same' },
  { name: '3x3 stride 2 explicit pad 1 (ResNet-S), odd size', x: [2, 9, 7, 3], k: 3, cout: 2, stride: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { name: '1x1 stride 2 valid, even size', x: [2, 6, 6, 4], k: 1, cout: 3, stride: 2, pad: 'valid' },
  { name: '3x3 stride 1 valid, batch 4', x: [4, 5, 6, 2], k: 3, cout: 3, stride: 1, pad: 'valid' },
  { name: '3x3 stride 2 valid, odd size', x: [2, 9, 9, 2], k: 3, cout: 2, stride: 2, pad: 'valid' },
  { name: '3x3 stride 1 pad 1, many rows to split', x: [4, 12, 12, 8], k: 3, cout: 8, stride: 1, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
];

/** Runs the Conv2DBackpropFilter kernel itself, whatever op would normally call it. */
export const backpropFilter = (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], strides: number, pad: Pad): tf.Tensor4D =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;

export const filterShapeOf = (c: Pick<FilterGradCase, 'k' | 'x' | 'cout'>): Shape4 => [c.k, c.k, c.x[3], c.cout];

/** The filter gradient for fixed inputs of shape xs on `backend` (shapes are worked out on the cpu backend). */
export async function filterGradOn(backend: string, xs: Shape4, fs: Shape4, stride: number, pad: Pad): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const ys = tf.tidy(() => tf.conv2d(tf.zeros(xs) as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, stride, pad).shape) as Shape4;
  const rnd = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
  const x = rnd(xs.reduce((a, b) => a * b), 1);
  const dy = rnd(ys.reduce((a, b) => a * b), 2);
  await tf.setBackend(backend);
  const out = backpropFilter(tf.tensor4d(x, xs), tf.tensor4d(dy, ys), fs, stride, pad);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}
