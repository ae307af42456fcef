// Our WebGPU Conv2DBackpropFilter against TF.js's cpu backend, on a real WebGPU device without a GPU: the `webgpu`
// package (Dawn) on Chromium's SwiftShader driver (npm run test:unit sets VK_ICD_FILENAMES and LD_LIBRARY_PATH).
import { beforeAll, describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerOwnWebGpuKernels, setKernelSet } from './register';
import { countDispatches } from './dispatch-counter';
import { backpropFilter, filterGradOn, filterShapeOf, FILTER_GRAD_CASES } from '../engine/kernels/backprop-filter-cases';

beforeAll(async () => {
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  registerOwnWebGpuKernels();
  const ok = await tf.setBackend('webgpu');
  if (!ok) throw new Error('No WebGPU adapter: run through npm run test:unit (SwiftShader needs VK_ICD_FILENAMES and LD_LIBRARY_PATH) with Chromium installed.');
});

describe('our WebGPU Conv2DBackpropFilter', () => {
  for (const c of FILTER_GRAD_CASES) {
    it(`matches the cpu backend to 1e-4: ${c.name}`, async () => {
      const fs = filterShapeOf(c);
      setKernelSet('ours');
      const want = await filterGradOn('cpu', c.x, fs, c.stride, c.pad);
      const got = await filterGradOn('webgpu', c.x, fs, c.stride, c.pad);
      expect(got.length).toBe(want.length);
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
    });
  }
  it('the opt-out runs the stock kernel, which agrees', async () => {
    const fs: [number, number, number, number] = [3, 3, 3, 4];
    setKernelSet('stock');
    const stock = await filterGradOn('webgpu', [2, 8, 8, 3], fs, 2, 'same');
    setKernelSet('ours');
    const ours = await filterGradOn('webgpu', [2, 8, 8, 3], fs, 2, 'same');
    ours.forEach((v, i) => expect(Math.abs(v - stock[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
  });
  it('leaves no tensors or buffers behind', async () => {
    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.tidy(() => {
      backpropFilter(tf.ones([4, 12, 12, 8]) as tf.Tensor4D, tf.ones([4, 12, 12, 8]) as tf.Tensor4D, [3, 3, 8, 8], 1, 'same');
    });
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
  });
});

describe('our fused WebGPU Adam step', () => {
  async function threeSteps(backend: string, set: 'ours' | 'stock'): Promise<Float32Array[]> {
    const { Adam } = await import('../train/optimizer');
    await tf.setBackend(backend);
    setKernelSet(set);
    const values = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.3);
    const p = tf.variable(tf.tensor(values, [5, 10]), true, `adam-test-${backend}-${set}-${Math.random()}`);
    const param = { name: 'w', variable: p, kind: 'conv' as const, group: 1 };
    const opt = new Adam();
    for (let step = 0; step < 3; step++) {
      const g = tf.tensor(Float32Array.from({ length: 50 }, (_, i) => Math.cos(i * (step + 1)) * 0.1), [5, 10]);
      opt.step([param], { [p.name]: g }, [0, 1e-2, 0], [0, 0.9 - step * 0.02, 0]);
      g.dispose();
    }
    const out = [(await p.data()) as Float32Array];
    p.dispose();
    opt.dispose();
    return out;
  }
  it('gives the parameters the cpu backend gives, with decoupled weight decay, over three steps', async () => {
    const [cpu] = await threeSteps('cpu', 'stock');
    const [stock] = await threeSteps('webgpu', 'stock');
    const [ours] = await threeSteps('webgpu', 'ours');
    cpu!.forEach((v, i) => {
      expect(Math.abs(ours![i]! - v)).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(stock![i]! - v)).toBeLessThanOrEqual(1e-5);
    });
    expect(ours).not.toEqual(Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.3));
  });
  it('takes 3 GPU dispatches per parameter instead of one per TF.js op', async () => {
    const { Adam } = await import('../train/optimizer');
    await tf.setBackend('webgpu');
    const dispatches = countDispatches(tf.backend())!;
    const count = (set: 'ours' | 'stock') => {
      setKernelSet(set);
      const p = tf.variable(tf.ones([64, 64]), true, `adam-count-${set}-${Math.random()}`);
      const opt = new Adam();
      const g = tf.ones([64, 64]);
      const param = { name: 'w', variable: p, kind: 'conv' as const, group: 0 };
      opt.step([param], { [p.name]: g }, [1e-3], [0.9]); // creates the state
      dispatches.reset();
      opt.step([param], { [p.name]: g }, [1e-3], [0.9]);
      const n = dispatches.count;
      tf.dispose([p, g]);
      opt.dispose();
      return n;
    };
    try {
      expect(count('stock')).toBeGreaterThanOrEqual(10);
      expect(count('ours')).toBe(3);
    } finally {
      dispatches.restore();
    }
  });
});

describe('a whole training step with our kernels', () => {
  it('matches the stock kernels and takes far fewer GPU dispatches', async () => {
    const { buildResNet } = await import('../model/resnet-s');
    const { Learner } = await import('../train/learner');
    const { syntheticData } = await import('../train/synthetic-data');
    await tf.setBackend('webgpu');
    const dispatches = countDispatches(tf.backend())!;
    const run = async (set: 'ours' | 'stock') => {
      setKernelSet(set);
      const data = syntheticData({ classes: 3, trainItems: 4, validItems: 2, size: 16, batchSize: 4, seed: 1 });
      const learn = new Learner(buildResNet({ widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 }, 1), data);
      const { x, y } = (await data.trainBatches(0)[Symbol.asyncIterator]().next()).value!;
      const losses = [await learn.trainStep(x, y, [1e-2, 1e-2, 1e-2], [0.9, 0.9, 0.9])];
      dispatches.reset();
      losses.push(await learn.trainStep(x, y, [1e-2, 1e-2, 1e-2], [0.9, 0.9, 0.9]));
      const count = dispatches.count;
      const params = await Promise.all(learn.model.params.map((p) => p.variable.data()));
      tf.dispose([x, y]);
      return { losses, count, params };
    };
    try {
      const stock = await run('stock');
      const ours = await run('ours');
      ours.losses.forEach((l, i) => expect(l).toBeCloseTo(stock.losses[i]!, 4));
      ours.params.forEach((p, i) => p.forEach((v, j) => expect(Math.abs(v - stock.params[i]![j]!)).toBeLessThan(1e-4)));
      expect(ours.count).toBeLessThan(0.75 * stock.count);
    } finally {
      dispatches.restore();
      setKernelSet('ours');
    }
  });
});
