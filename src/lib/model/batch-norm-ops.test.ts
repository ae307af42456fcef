// Our training-mode BatchNorm from TF.js ops with its hand-written gradient, against TF.js's ops and autodiff.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { trainBatchNormOps } from './batch-norm-ops';
import { BATCH_NORM_CASES, batchNormCaseOn, OUTPUT_NAMES, plainBatchNorm } from './batch-norm-cases';
import { expectClose } from '../testing/close';

describe('BatchNorm from ops with our gradient', () => {
  for (const c of BATCH_NORM_CASES) {
    it(`matches TF.js's autodiff to 1e-4: ${c.name}`, async () => {
      await tf.setBackend('cpu');
      const want = await batchNormCaseOn(c, plainBatchNorm, 1e-5);
      const got = await batchNormCaseOn(c, trainBatchNormOps, 1e-5);
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(() => expectClose(got[i]!, w, 1e-4), OUTPUT_NAMES[i]).not.toThrow());
    });
  }
  it('leaves no tensors behind', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const x = tf.ones([2, 3, 3, 2]) as tf.Tensor4D;
    const [gamma, beta] = [tf.ones([2]) as tf.Tensor1D, tf.zeros([2]) as tf.Tensor1D];
    const g = tf.grads((a: tf.Tensor) => {
      const r = trainBatchNormOps(a as tf.Tensor4D, gamma, beta, null, true, 1e-5);
      r.moments.dispose();
      return tf.sum(r.out);
    })([x]);
    tf.dispose([x, gamma, beta, ...g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
