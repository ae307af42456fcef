// Our fused WebGPU BatchNorm (training mode, with skip connection and ReLU) against TF.js's ops on the cpu backend:
// the output, the batch statistics, every input's gradient, and the running-average blend.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet } from '../switches';
import { countDispatches } from './dispatch-counter';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { expectClose } from '../../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../../testing/leaks';
import type { TrainBatchNorm } from '../../model/batch-norm-ops';
import { inferBatchNormWebGPU, trainBatchNormWebGPU, updateRunningWebGPU } from './batch-norm';
import { BN_EPS } from '../../model/resnet-s';
import { BATCH_NORM_CASES, batchNormCaseOn, OUTPUT_NAMES, plainBatchNorm } from '../../../testing/batch-norm-cases';
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
      const got = await batchNormCaseOn(
        c,
        (...a) => trainBatchNormWebGPU(tf.backend() as unknown as WebGPUBackend, ...a),
        BN_EPS,
      );
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(() => expectClose(got[i]!, w, 1e-4), OUTPUT_NAMES[i]).not.toThrow());
      if (c.relu) expect(got[0]!.some((v) => v === 0)).toBe(true); // the ReLU clipped something
    });
  }

  for (const c of BATCH_NORM_CASES) {
    it(`in inference (running averages) matches TF.js's ops to 1e-5, in one dispatch: ${c.name}`, async () => {
      const ch = c.shape[3];
      const wave = (n: number, seed: number, scale: number, shift: number) =>
        Float32Array.from({ length: n }, (_, i) => Math.sin(i * 7.31 + seed) * scale + shift);
      const n = c.shape.reduce((a, b) => a * b, 1);
      const inputs = () => ({
        x: tf.tensor4d(wave(n, 1, 2, 0.3), c.shape),
        mean: tf.tensor1d(wave(ch, 2, 0.5, 0)),
        variance: tf.tensor1d(wave(ch, 3, 0.4, 1)),
        gamma: tf.tensor1d(wave(ch, 4, 0.5, 1)),
        beta: tf.tensor1d(wave(ch, 5, 0.3, 0)),
        skip: c.skip ? tf.tensor4d(wave(n, 6, 1, 0), c.shape) : null,
      });
      const collect = async (out: tf.Tensor, all: (tf.Tensor | null)[]) => {
        const v = (await out.data()) as Float32Array;
        tf.dispose([out, ...all.filter((t): t is tf.Tensor => t !== null)]);
        return v;
      };
      await tf.setBackend('cpu');
      const a = inputs();
      let ref = tf.batchNorm(a.x, a.mean, a.variance, a.beta, a.gamma, BN_EPS);
      if (a.skip) ref = tf.add(ref, a.skip);
      const want = await collect(c.relu ? tf.relu(ref) : ref, [ref, ...Object.values(a)]);
      await tf.setBackend('webgpu');
      const dispatches = countDispatches(tf.backend())!;
      const b = inputs();
      dispatches.reset();
      const out = inferBatchNormWebGPU(
        tf.backend() as unknown as WebGPUBackend,
        b.x,
        b.mean,
        b.variance,
        b.gamma,
        b.beta,
        b.skip,
        c.relu,
        BN_EPS,
      );
      expect(dispatches.count).toBe(1);
      dispatches.restore();
      expectClose(await collect(out, Object.values(b)), want, 1e-5);
    });
  }

  it('takes 2 dispatches forward and 2 backward (3 with a skip connection through a ReLU)', async () => {
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
        const res = trainBatchNormWebGPU(
          backend,
          a as tf.Tensor4D,
          b as tf.Tensor1D,
          c as tf.Tensor1D,
          d as tf.Tensor4D,
          true,
          BN_EPS,
        );
        res.moments.dispose();
        return res.out;
      })([x, gamma, beta, skip], tf.onesLike(x));
      expect(dispatches.count).toBe(2 + 1 + 3); // forward, the ones for dy, backward
      tf.dispose([x, skip, gamma, beta, ...g]);
    } finally {
      dispatches.restore();
    }
  });

  it('folds the statistics into the running averages in their own dispatch, or leaves it to the caller while a clone shares a buffer', async () => {
    await tf.setBackend('webgpu');
    const backend = tf.backend() as unknown as WebGPUBackend;
    const dispatches = countDispatches(backend as unknown as tf.KernelBackend)!;
    // x: two rows per channel, so the batch mean is [2, 4, 6] and the biased variance [1, 4, 9].
    const x = tf.tensor4d([1, 2, 3, 3, 6, 9], [1, 2, 1, 3]);
    const [gamma, beta] = [tf.ones([3]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D];
    const mean = tf.variable(tf.tensor1d([1, 2, 3]), false, `running-mean-${Math.random()}`);
    const variance = tf.variable(tf.tensor1d([4, 5, 6]), false, `running-var-${Math.random()}`);
    const running = { mean, variance, a: 0.9, bMean: 0.1, bVar: 0.2 };
    try {
      const step = async () => {
        dispatches.reset();
        const r = trainBatchNormWebGPU(backend, x, gamma, beta, null, true, BN_EPS, running);
        const forwardDispatches = dispatches.count;
        expectClose(await r.moments.data(), [2, 4, 6, 1, 4, 9], 1e-5);
        if (!r.runningUpdated) {
          dispatches.reset();
          updateRunningWebGPU(backend, running, r.moments);
        }
        tf.dispose([r.out, r.moments]);
        return {
          updated: r.runningUpdated,
          forwardDispatches,
          updateDispatches: r.runningUpdated ? 0 : dispatches.count,
        };
      };
      // Each variable still shares its buffer with the tensor it was made from: assignment, 2 more dispatches.
      expect(await step()).toEqual({ updated: false, forwardDispatches: 2, updateDispatches: 2 });
      expectClose(await mean.data(), [1.1, 2.2, 3.3], 1e-5); // 0.9 * [1, 2, 3] + 0.1 * [2, 4, 6]
      expectClose(await variance.data(), [3.8, 5.3, 7.2], 1e-5); // 0.9 * [4, 5, 6] + 0.2 * [1, 4, 9]
      // Now they own their buffers: updated with the statistics, in the same 2 dispatches as the forward pass.
      expect(await step()).toEqual({ updated: true, forwardDispatches: 2, updateDispatches: 0 });
      expectClose(await mean.data(), [1.19, 2.38, 3.57], 1e-5);
      expectClose(await variance.data(), [3.62, 5.57, 8.28], 1e-5);
      // A snapshot (as lr_find takes) shares the buffer, so it is left alone.
      const snapshot = tf.clone(mean);
      expect((await step()).updated).toBe(false);
      expectClose(await snapshot.data(), [1.19, 2.38, 3.57], 1e-5);
      expectClose(await mean.data(), [1.271, 2.542, 3.813], 1e-5);
      snapshot.dispose();
    } finally {
      dispatches.restore();
      tf.dispose([x, gamma, beta, mean, variance]);
    }
  });

  it('leaves no tensors or backend data behind', async () => {
    await tf.setBackend('webgpu');
    const bn = (...a: Parameters<TrainBatchNorm>) =>
      trainBatchNormWebGPU(tf.backend() as unknown as WebGPUBackend, ...a);
    for (const c of BATCH_NORM_CASES)
      expect(await leftBehind(() => batchNormCaseOn(c, bn, BN_EPS)), c.name).toEqual(NOTHING_LEFT);
  });
});
