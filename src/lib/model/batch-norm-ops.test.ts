// Our training-mode BatchNorm from TF.js ops with its hand-written gradient, against TF.js's ops and autodiff.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { trainBatchNormOps } from './batch-norm-ops';
import { BATCH_NORM_CASES, batchNormCaseOn, OUTPUT_NAMES, plainBatchNorm } from '../../testing/batch-norm-cases';
import { expectClose } from '../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../testing/leaks';

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
  it('leaves no tensors or backend data behind', async () => {
    await tf.setBackend('cpu');
    for (const c of BATCH_NORM_CASES)
      expect(await leftBehind(() => batchNormCaseOn(c, trainBatchNormOps, 1e-5)), c.name).toEqual(NOTHING_LEFT);
  });
});
