// Our fused WebGPU BatchNorm (training mode, with skip connection and ReLU) against TF.js's ops on the cpu backend:
// the output, the batch statistics, every input's gradient, and the running-average blend.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet } from './register';
import { countDispatches } from './dispatch-counter';
import { startSwiftShaderWebGpu } from './swiftshader-device';
import { expectClose } from '../testing/close';
import { blendRowWebGPU, trainBatchNormWebGPU } from './batch-norm';
import { BN_EPS } from '../model/resnet-s';
import { BATCH_NORM_CASES, batchNormCaseOn, OUTPUT_NAMES, plainBatchNorm } from '../model/batch-norm-cases';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

beforeAll(startSwiftShaderWebGpu);

type Shape4 = [number, number, number, number];

describe('our fused WebGPU BatchNorm in training mode', () => {
  for (const c of BATCH_NORM_CASES) {
    it(`matches TF.js's ops on the cpu backend to 1e-4: ${c.name}`, async () => {
      setKernelSet('ours');
      await tf.setBackend('cpu');
      const want = await batchNormCaseOn(c, plainBatchNorm, BN_EPS);
      await tf.setBackend('webgpu');
      const got = await batchNormCaseOn(c, (...a) => trainBatchNormWebGPU(tf.backend() as unknown as WebGPUBackend, ...a), BN_EPS);
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(() => expectClose(got[i]!, w, 1e-4), OUTPUT_NAMES[i]).not.toThrow());
      if (c.relu) expect(got[0]!.some((v) => v === 0)).toBe(true); // the ReLU clipped something
    });
  }

  it('takes 2 dispatches forward and 3 backward (4 with a skip connection through a ReLU)', async () => {
    await tf.setBackend('webgpu');
    const dispatches = countDispatches(tf.backend())!;
    try {
      const shape: Shape4 = [2, 4, 4, 3];
      const [x, skip] = [tf.ones(shape) as tf.Tensor4D, tf.ones(shape) as tf.Tensor4D];
      const [gamma, beta] = [tf.ones([3]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D];
      const backend = tf.backend() as unknown as WebGPUBackend;
      dispatches.reset();
      const r = trainBatchNormWebGPU(backend, x, gamma, beta, skip, true, BN_EPS);
      expect(dispatches.count).toBe(2);
      tf.dispose([r.out, r.moments]);
      dispatches.reset();
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
        const res = trainBatchNormWebGPU(backend, a as tf.Tensor4D, b as tf.Tensor1D, c as tf.Tensor1D, d as tf.Tensor4D, true, BN_EPS);
        res.moments.dispose();
        return res.out;
      })([x, gamma, beta, skip], tf.onesLike(x));
      expect(dispatches.count).toBe(2 + 1 + 4); // forward, the ones for dy, backward
      tf.dispose([x, skip, gamma, beta, ...g]);
    } finally {
      dispatches.restore();
    }
  });

  it('blends a running average with one row of the batch statistics', async () => {
    await tf.setBackend('webgpu');
    const running = tf.tensor1d([1, 2, 3]);
    const moments = tf.tensor2d([[10, 20, 30], [40, 50, 60]]);
    const out = blendRowWebGPU(tf.backend() as unknown as WebGPUBackend, running, moments, 1, 0.9, 0.2);
    expectClose(await out.data(), [0.9 + 8, 1.8 + 10, 2.7 + 12], 1e-6);
    tf.dispose([running, moments, out]);
  });

  it('leaves no tensors behind', async () => {
    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    const x = tf.ones([2, 3, 3, 2]) as tf.Tensor4D;
    const [gamma, beta] = [tf.ones([2]) as tf.Tensor1D, tf.zeros([2]) as tf.Tensor1D];
    const g = tf.grads((a: tf.Tensor) => {
      const r = trainBatchNormWebGPU(tf.backend() as unknown as WebGPUBackend, a as tf.Tensor4D, gamma, beta, null, true, BN_EPS);
      r.moments.dispose();
      return tf.sum(r.out);
    })([x]);
    tf.dispose([x, gamma, beta, ...g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
