// Our wasm kernels against TF.js's cpu backend: the filter and input gradients on odd and even sizes, strides 1 and
// 2, 'same', 'valid' and explicit padding, 1x1 and 3x3, batch 1 and more.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWasmConvBackpropFilter } from './wasm-conv-backprop-filter';
import { registerWasmConvBackpropInput } from './wasm-conv-backprop-input';
import { setKernelSet } from '../kernel-set';
import { backpropFilter, backpropInput, inputGradOn, filterGradOn, filterShapeOf, CONV_GRAD_CASES } from './conv-grad-cases';

beforeAll(async () => {
  // Registered before the backend starts, as the app does, so the stock kernel's own set-up must survive.
  registerWasmConvBackpropFilter();
  registerWasmConvBackpropInput();
  await tf.setBackend('wasm');
  await tf.ready();
});

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
  for (const c of CONV_GRAD_CASES) {
    it(`matches cpu: ${c.name}`, async () => {
      const fs = filterShapeOf(c);
      const want = await filterGradOn('cpu', c.x, fs, c.stride, c.pad);
      const got = await filterGradOn('wasm', c.x, fs, c.stride, c.pad);
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

describe('wasm Conv2DBackpropInput through XNNPACK Conv2D', () => {
  for (const c of CONV_GRAD_CASES) {
    it(`matches cpu: ${c.name}`, async () => {
      const fs = filterShapeOf(c);
      const want = await inputGradOn('cpu', c.x, fs, c.stride, c.pad);
      const got = await inputGradOn('wasm', c.x, fs, c.stride, c.pad);
      expect(got.length).toBe(want.length);
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
    });
  }
  it('the opt-out runs wasm\'s own kernel, which agrees', async () => {
    const c = CONV_GRAD_CASES[1]!;
    setKernelSet('stock');
    try {
      const stock = await inputGradOn('wasm', c.x, filterShapeOf(c), c.stride, c.pad);
      setKernelSet('ours');
      const ours = await inputGradOn('wasm', c.x, filterShapeOf(c), c.stride, c.pad);
      ours.forEach((v, i) => expect(Math.abs(v - stock[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
    } finally {
      setKernelSet('ours');
    }
  });
  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const backendBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.tidy(() => {
      backpropInput(tf.ones([2, 4, 4, 4]) as tf.Tensor4D, tf.ones([3, 3, 3, 4]) as tf.Tensor4D, [2, 8, 8, 3], 2, 'same');
    });
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(backendBefore);
  });
});
