// Our fused WebGPU BatchNorm (training mode, with skip connection and ReLU) against TF.js's ops on the cpu backend:
// the output, the batch statistics, every input's gradient, and the running-average blend.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet } from './register';
import { countDispatches } from './dispatch-counter';
import { expectClose, startSwiftShaderWebGpu } from './swiftshader-device';
import { blendRowWebGPU, trainBatchNormWebGPU } from './batch-norm';
import { BN_EPS } from '../model/resnet-s';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

beforeAll(startSwiftShaderWebGpu);

type Shape4 = [number, number, number, number];
const rnd = (n: number, seed: number, scale = 1, shift = 0) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * scale + shift);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  shape: Shape4;
  skip: boolean;
  relu: boolean;
}

const CASES: Case[] = [
  { name: 'odd sizes, 3 channels, ReLU', shape: [2, 5, 7, 3], skip: false, relu: true },
  { name: 'one image, 1 channel, no ReLU', shape: [1, 3, 3, 1], skip: false, relu: false },
  { name: 'skip connection then ReLU, 5 channels', shape: [3, 4, 6, 5], skip: true, relu: true },
  { name: 'skip connection without ReLU', shape: [2, 3, 3, 4], skip: true, relu: false },
  { name: 'more rows than a workgroup has threads (600), 8 channels', shape: [6, 10, 10, 8], skip: true, relu: true },
];

/** Output, moments and gradients of sum(out * w) in x, gamma, beta (and skip) with fixed inputs. */
async function run(c: Case, fused: boolean): Promise<Float32Array[]> {
  await tf.setBackend(fused ? 'webgpu' : 'cpu');
  const ch = c.shape[3];
  const x = tf.tensor4d(rnd(size(c.shape), 1, 2, 0.5), c.shape);
  const gamma = tf.tensor1d(rnd(ch, 2, 0.5, 1));
  const beta = tf.tensor1d(rnd(ch, 3, 0.3));
  const skip = c.skip ? tf.tensor4d(rnd(size(c.shape), 4), c.shape) : null;
  const w = tf.tensor4d(rnd(size(c.shape), 5), c.shape);
  let moments: tf.Tensor | null = null;
  // The first call keeps its batch statistics; the one inside tf.grads frees them.
  const keep = (m: tf.Tensor) => (moments ? m.dispose() : (moments = m));
  const apply = (xs: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D, s: tf.Tensor4D | null) => {
    if (fused) {
      const r = trainBatchNormWebGPU(tf.backend() as unknown as WebGPUBackend, xs, g, b, s, c.relu, BN_EPS);
      keep(r.moments);
      return r.out;
    }
    const m = tf.moments(xs, [0, 1, 2]);
    keep(tf.keep(tf.stack([m.mean, m.variance])));
    let out = tf.batchNorm(xs, m.mean as tf.Tensor1D, m.variance as tf.Tensor1D, b, g, BN_EPS);
    if (s) out = tf.add(out, s);
    return c.relu ? tf.relu(out) : out;
  };
  const inputs = skip ? [x, gamma, beta, skip] : [x, gamma, beta];
  const out = tf.tidy(() => apply(x, gamma, beta, skip));
  const grads = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(apply(t[0] as tf.Tensor4D, t[1] as tf.Tensor1D, t[2] as tf.Tensor1D, (t[3] as tf.Tensor4D) ?? null), w)))(inputs);
  const values = await Promise.all([out, moments!, ...grads].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([x, gamma, beta, skip, w, out, moments!, ...grads].filter((t): t is tf.Tensor => t !== null));
  return values;
}

describe('our fused WebGPU BatchNorm in training mode', () => {
  for (const c of CASES) {
    it(`matches TF.js's ops on the cpu backend to 1e-4: ${c.name}`, async () => {
      setKernelSet('ours');
      const want = await run(c, false);
      const got = await run(c, true);
      const names = ['output', 'moments', 'dx', 'dgamma', 'dbeta', 'dskip'];
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(() => expectClose(got[i]!, w, 1e-4), names[i]).not.toThrow());
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
