// Training-mode BatchNorm in our SIMD passes on wasm against TF.js's ops and autodiff on the cpu backend: the output,
// the batch statistics and every gradient, with and without the skip connection and ReLU.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { trainBatchNormWasm } from './wasm-batch-norm';
import { batchNormModuleBytes } from './batch-norm-simd';
import {
  BATCH_NORM_CASES,
  batchNormCaseOn,
  OUTPUT_NAMES,
  plainBatchNorm,
  type BatchNormCase,
} from '../../../testing/batch-norm-cases';
import { expectClose } from '../../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../../testing/leaks';

// Channels a multiple of 4, which our passes take (the shared cases also cover the ops they fall back to).
const SIMD_CASES: BatchNormCase[] = [
  { name: '4 channels, ReLU, odd sizes', shape: [2, 5, 7, 4], skip: false, relu: true },
  { name: '12 channels, skip connection then ReLU', shape: [3, 4, 6, 12], skip: true, relu: true },
  { name: '8 channels, skip connection without ReLU', shape: [2, 3, 3, 8], skip: true, relu: false },
  { name: 'one image, 4 channels, no ReLU', shape: [1, 3, 3, 4], skip: false, relu: false },
  {
    name: 'a layer of ResNet-S (batch 8, 24 x 24, 64 channels), ReLU',
    shape: [8, 24, 24, 64],
    skip: false,
    relu: true,
  },
];

async function compare(c: BatchNormCase): Promise<void> {
  await tf.setBackend('cpu');
  const want = await batchNormCaseOn(c, plainBatchNorm, 1e-5);
  await tf.setBackend('wasm');
  const got = await batchNormCaseOn(c, trainBatchNormWasm, 1e-5);
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(() => expectClose(got[i]!, w, 1e-4), OUTPUT_NAMES[i]).not.toThrow());
}

describe('training-mode BatchNorm in our SIMD passes (wasm)', () => {
  it('is a valid module, plain and shared', () => {
    expect(WebAssembly.validate(batchNormModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(batchNormModuleBytes(true))).toBe(true);
  });
  for (const c of [...SIMD_CASES, ...BATCH_NORM_CASES])
    it(`matches TF.js's autodiff on cpu to 1e-4: ${c.name}`, () => compare(c));
  it('runs none of TF.js kernels for the statistics where the channels allow', async () => {
    await tf.setBackend('wasm');
    const names = async (ch: number) => {
      const x = tf.randomNormal([2, 4, 4, ch]) as tf.Tensor4D;
      const gamma = tf.ones([ch]) as tf.Tensor1D;
      const beta = tf.zeros([ch]) as tf.Tensor1D;
      const info = await tf.profile(() => {
        const r = trainBatchNormWasm(x, gamma, beta, null, true, 1e-5);
        return [r.out, r.moments];
      });
      tf.dispose([x, gamma, beta, ...(info.result as tf.Tensor[])]);
      return info.kernelNames;
    };
    expect(await names(8)).not.toContain('Rsqrt');
    expect(await names(6)).toContain('Rsqrt'); // 6 channels: TF.js's ops
  });
  it('leaves no tensors or backend data behind', async () => {
    await tf.setBackend('wasm');
    for (const c of SIMD_CASES.slice(0, 4))
      expect(await leftBehind(() => batchNormCaseOn(c, trainBatchNormWasm, 1e-5)), c.name).toEqual(NOTHING_LEFT);
  });
});
