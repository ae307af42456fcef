// Our kernels against TF.js's cpu backend: the wasm filter gradient on odd and even sizes, strides 1 and 2,
// 'same', 'valid' and explicit padding, 1x1 and 3x3, batch 1 and more.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWasmConvBackpropFilter } from './wasm-conv-backprop-filter';

beforeAll(async () => {
  registerWasmConvBackpropFilter();
  await tf.setBackend('wasm');
  await tf.ready();
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const backpropFilter = (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], strides: number, pad: Pad) =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;

async function filterGrad(backend: string, x: number[], xs: [number, number, number, number], dy: number[], dys: [number, number, number, number], fs: [number, number, number, number], stride: number, pad: Pad) {
  await tf.setBackend(backend);
  return tf.tidy(() => backpropFilter(tf.tensor4d(x, xs), tf.tensor4d(dy, dys), fs, stride, pad).dataSync().slice());
}

const cases: { name: string; x: [number, number, number, number]; k: number; cout: number; stride: number; pad: Pad }[] = [
  { name: '3x3 stride 1 same, odd size, batch 1', x: [1, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { name: '3x3 stride 2 same, even size, batch 3', x: [3, 8, 8, 2], k: 3, cout: 5, stride: 2, pad: 'same' },
  { name: '3x3 stride 2 explicit pad 1, odd size', x: [2, 9, 7, 3], k: 3, cout: 2, stride: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { name: '1x1 stride 2 valid, even size', x: [2, 6, 6, 4], k: 1, cout: 3, stride: 2, pad: 'valid' },
  { name: '3x3 stride 1 valid, batch 4', x: [4, 5, 6, 2], k: 3, cout: 3, stride: 1, pad: 'valid' },
  { name: '3x3 stride 2 valid, odd size', x: [2, 9, 9, 2], k: 3, cout: 2, stride: 2, pad: 'valid' },
];

describe('wasm Conv2DBackpropFilter', () => {
  it('is what the conv2d gradient uses on wasm (training works)', async () => {
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 5, 5, 2]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))(tf.ones([3, 3, 2, 1])).dataSync().slice());
    };
    // Each tap of a 3x3 'same' filter over a 5x5 image of ones sees 16 pixels (corners), 20 (edges) or 25 (centre).
    expect(Array.from(await grad('wasm'))).toEqual([16, 16, 20, 20, 16, 16, 20, 20, 25, 25, 20, 20, 16, 16, 20, 20, 16, 16]);
    expect(Array.from(await grad('cpu'))).toEqual(Array.from(await grad('wasm')));
  });
  for (const c of cases) {
    it(`matches cpu: ${c.name}`, async () => {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.cout];
      await tf.setBackend('cpu');
      const ys = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, c.stride, c.pad).shape) as [number, number, number, number];
      const rnd = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
      const x = rnd(c.x.reduce((a, b) => a * b), 1);
      const dy = rnd(ys.reduce((a, b) => a * b), 2);
      const want = await filterGrad('cpu', x, c.x, dy, ys, fs, c.stride, c.pad);
      const got = await filterGrad('wasm', x, c.x, dy, ys, fs, c.stride, c.pad);
      expect(got.length).toBe(want.length);
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
    });
  }
  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const backendBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.tidy(() => {
      backpropFilter(tf.ones([2, 8, 8, 3]) as tf.Tensor4D, tf.ones([2, 4, 4, 4]) as tf.Tensor4D, [3, 3, 3, 4], 2, 'same');
    });
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(backendBefore);
  });
});
