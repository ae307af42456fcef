// Test support shared by the kernel tests of every backend: the convolution shapes whose gradients to check (odd and
// even sizes, strides 1 and 2, 'same', 'valid' and explicit padding, 1x1 and 3x3, batch 1 and more) and the filter
// and input gradients of fixed pseudo-random inputs on a given backend, and their forward convolution.
import * as tf from '@tensorflow/tfjs-core';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
type Shape4 = [number, number, number, number];

export interface ConvGradCase {
  name: string;
  x: Shape4;
  k: number;
  cout: number;
  stride: number;
  pad: Pad;
}

export const CONV_GRAD_CASES: ConvGradCase[] = [
  { name: '3x3 stride 1 same, odd size, batch 1', x: [1, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { name: '3x3 stride 2 same, even size, batch 3', x: [3, 8, 8, 2], k: 3, cout: 5, stride: 2, pad: 'same' },
  {
    name: '3x3 stride 2 explicit pad 1 (ResNet-S), odd size',
    x: [2, 9, 7, 3],
    k: 3,
    cout: 2,
    stride: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  { name: '1x1 stride 2 valid, even size', x: [2, 6, 6, 4], k: 1, cout: 3, stride: 2, pad: 'valid' },
  {
    name: '1x1 stride 2 valid, odd size (last row and column unused)',
    x: [2, 7, 5, 3],
    k: 1,
    cout: 4,
    stride: 2,
    pad: 'valid',
  },
  { name: '3x3 stride 1 valid, batch 4', x: [4, 5, 6, 2], k: 3, cout: 3, stride: 1, pad: 'valid' },
  { name: '3x3 stride 2 valid, odd size', x: [2, 9, 9, 2], k: 3, cout: 2, stride: 2, pad: 'valid' },
  {
    name: '3x3 stride 1 pad 1, many rows to split',
    x: [4, 12, 12, 8],
    k: 3,
    cout: 8,
    stride: 1,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '3x3 stride 1 same, wide: several output tiles each way, several row blocks per split',
    x: [4, 20, 20, 40],
    k: 3,
    cout: 36,
    stride: 1,
    pad: 'same',
  },
  {
    name: '3x3 stride 2 same to a 1x1 output, batch 5 (consecutive positions in different images)',
    x: [5, 2, 2, 3],
    k: 3,
    cout: 4,
    stride: 2,
    pad: 'same',
  },
  {
    name: '3x3 stride 2 same, odd size, channels in fours (4-channel loads)',
    x: [3, 9, 7, 8],
    k: 3,
    cout: 12,
    stride: 2,
    pad: 'same',
  },
  { name: '1x1 stride 2 valid, odd size, channels in fours', x: [2, 7, 5, 4], k: 1, cout: 8, stride: 2, pad: 'valid' },
  {
    name: '3x3 stride 2 same from 3 channels into 8 (the stem: 27 or 9 im2col rows, padded to fours)',
    x: [2, 9, 9, 3],
    k: 3,
    cout: 8,
    stride: 2,
    pad: 'same',
  },
];

/** Runs the Conv2DBackpropFilter kernel itself, whatever op would normally call it. */
export const backpropFilter = (
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: number[],
  strides: number,
  pad: Pad,
): tf.Tensor4D =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides,
    pad,
    dataFormat: 'NHWC',
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor4D;

export const filterShapeOf = (c: Pick<ConvGradCase, 'k' | 'x' | 'cout'>): Shape4 => [c.k, c.k, c.x[3], c.cout];

/** Runs the Conv2DBackpropInput kernel itself. */
export const backpropInput = (
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: number[],
  strides: number,
  pad: Pad,
): tf.Tensor4D =>
  tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides,
    pad,
    dataFormat: 'NHWC',
    inputShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor4D;

const rnd = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** The output shape of the convolution (worked out on the cpu backend). */
async function outShape(xs: Shape4, fs: Shape4, stride: number, pad: Pad): Promise<Shape4> {
  await tf.setBackend('cpu');
  return tf.tidy(
    () => tf.conv2d(tf.zeros(xs) as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, stride, pad).shape,
  ) as Shape4;
}

async function take(out: tf.Tensor): Promise<Float32Array> {
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

/** The filter gradient for fixed inputs of shape xs on `backend`. */
export async function filterGradOn(
  backend: string,
  xs: Shape4,
  fs: Shape4,
  stride: number,
  pad: Pad,
): Promise<Float32Array> {
  const ys = await outShape(xs, fs, stride, pad);
  await tf.setBackend(backend);
  return take(
    backpropFilter(tf.tensor4d(rnd(sizeOf(xs), 1), xs), tf.tensor4d(rnd(sizeOf(ys), 2), ys), fs, stride, pad),
  );
}

/** The input gradient for fixed output gradient and filter on `backend`. */
export async function inputGradOn(
  backend: string,
  xs: Shape4,
  fs: Shape4,
  stride: number,
  pad: Pad,
): Promise<Float32Array> {
  const ys = await outShape(xs, fs, stride, pad);
  await tf.setBackend(backend);
  return take(backpropInput(tf.tensor4d(rnd(sizeOf(ys), 2), ys), tf.tensor4d(rnd(sizeOf(fs), 3), fs), xs, stride, pad));
}

/** The forward convolution of fixed inputs of shape xs with a fixed filter of shape fs on `backend`. */
export async function forwardOn(
  backend: string,
  xs: Shape4,
  fs: Shape4,
  stride: number,
  pad: Pad,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return take(tf.conv2d(tf.tensor4d(rnd(sizeOf(xs), 1), xs), tf.tensor4d(rnd(sizeOf(fs), 3), fs), stride, pad));
}
