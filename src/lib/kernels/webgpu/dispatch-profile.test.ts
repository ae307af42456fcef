// The per-dispatch GPU profile on SwiftShader WebGPU: it times every dispatch of a training step, ours included,
// and changes neither the step's results nor the backend afterwards.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet } from '../switches';
import { countDispatches } from './dispatch-counter';
import { byShader, profileDispatches, shaderName } from './dispatch-profile';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { buildResNet, learnable, type ResNetConfig } from '../../model/resnet-s';
import { Learner } from '../../train/learner';
import { syntheticData } from '../../train/synthetic-data';

beforeAll(startSwiftShaderWebGpu);

const SMALL: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };
const LRS = [1e-2, 1e-2, 1e-2];
const MOMS = [0.9, 0.9, 0.9];

async function learnerAndBatch() {
  const data = syntheticData({ classes: SMALL.classes, trainItems: 4, validItems: 2, size: 16, batchSize: 4, seed: 1 });
  const learn = new Learner(buildResNet(SMALL, 1), data);
  const { x, y } = (await data.trainBatches(0)[Symbol.asyncIterator]().next()).value!;
  return { learn, x, y };
}

describe('profileDispatches', () => {
  it('names a dispatch by its shader key', () => {
    expect(shaderName('conv2DDerInput_true_true_2')).toBe('conv2DDerInput');
    expect(shaderName('ownAdamInPlace')).toBe('ownAdamInPlace');
  });

  it('times every dispatch of a training step, our in-place ones too, without changing its results', async () => {
    await tf.setBackend('webgpu');
    setKernelSet('ours');
    const backend = tf.backend();
    const plain = await learnerAndBatch();
    const profiled = await learnerAndBatch();
    const counter = countDispatches(backend)!;
    let plainLoss = NaN;
    let profiledLoss = NaN;
    try {
      await plain.learn.trainStep(plain.x, plain.y, LRS, MOMS); // compiles every shader first
      await profiled.learn.trainStep(profiled.x, profiled.y, LRS, MOMS);
      counter.reset();
      plainLoss = await plain.learn.trainStep(plain.x, plain.y, LRS, MOMS);
      const dispatches = counter.count;
      const times = (await profileDispatches(backend, async () => {
        profiledLoss = await profiled.learn.trainStep(profiled.x, profiled.y, LRS, MOMS);
      }))!;
      expect(times).toHaveLength(dispatches);
      expect(times.every((t) => Number.isFinite(t.ms) && t.ms >= 0)).toBe(true);
      const shaders = byShader(times);
      expect(shaders.reduce((s, t) => s + t.ms, 0)).toBeGreaterThan(0);
      const calls = (name: string) => shaders.find((s) => s.name === name)?.calls ?? 0;
      // Two parameters per dispatch, and one alone when their number is odd.
      expect(calls('ownAdamInPlace2') * 2 + calls('ownAdamInPlace')).toBe(learnable(profiled.learn.model).length);
      expect(calls('ownAdamInPlace')).toBe(learnable(profiled.learn.model).length % 2);
      expect(calls('ownBnMoments')).toBe(
        profiled.learn.model.params.filter((p) => p.name.endsWith('running_mean')).length,
      );
      for (const conv of ['ownConv2DGemm', 'ownConv2DBackpropInputGemm', 'ownConv2DBackpropFilterTiled'])
        expect(calls(conv), conv).toBeGreaterThan(0);
      expect(shaders.map((s) => s.ms)).toEqual([...shaders.map((s) => s.ms)].sort((a, b) => b - a));
    } finally {
      counter.restore();
    }
    expect(profiledLoss).toBe(plainLoss);
    const params = async (l: Learner) => Promise.all(l.model.params.map(async (p) => p.variable.data()));
    expect(await params(profiled.learn)).toEqual(await params(plain.learn));
    // The backend is as before: its own method, no timers left running.
    const b = backend as unknown as { activeTimers: unknown };
    expect(Object.prototype.hasOwnProperty.call(backend, 'recordAndSubmit')).toBe(false);
    expect(b.activeTimers ?? null).toBeNull();
    for (const t of [plain, profiled]) {
      tf.dispose([t.x, t.y]);
      t.learn.dispose();
    }
    // Three training steps, every pipeline compiled by SwiftShader first: over a minute on a busy 2-core machine.
  }, 180_000);

  it('is null on a backend without GPU dispatches', async () => {
    await tf.setBackend('cpu');
    expect(await profileDispatches(tf.backend(), async () => {})).toBeNull();
    await tf.setBackend('webgpu');
  });
});
