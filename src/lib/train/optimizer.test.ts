// fastai's Adam against a hand-computed run, and its state cleared as fastai's freeze_to clears it.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Adam, ADAM_DEFAULTS } from './optimizer';
import type { Param } from '../model/resnet-s';
import { buildResNet, type ResNetConfig } from '../model/resnet-s';
import { Learner } from './learner';
import { syntheticData } from './synthetic-data';

/** One weight's Adam steps in plain doubles: fastai's update with dampening, debiasing and decoupled decay. */
function handAdam(w0: number[], grads: number[][], lr: number, mom: number, decay: boolean, clearBefore: Set<number>) {
  const { sqrMom, eps, wd } = ADAM_DEFAULTS;
  let w = [...w0];
  let avg = w.map(() => 0);
  let sqr = w.map(() => 0);
  let step = 0;
  grads.forEach((g, t) => {
    if (clearBefore.has(t)) {
      avg = w.map(() => 0);
      sqr = w.map(() => 0);
      step = 0;
    }
    step++;
    avg = avg.map((a, i) => a * mom + g[i]! * (1 - mom));
    sqr = sqr.map((s, i) => s * sqrMom + g[i]! ** 2 * (1 - sqrMom));
    const d1 = 1 - mom ** step;
    const d2 = 1 - sqrMom ** step;
    w = w.map((x, i) => (decay ? x * (1 - lr * wd) : x) - (lr / d1) * (avg[i]! / (Math.sqrt(sqr[i]! / d2) + eps)));
  });
  return w;
}

describe('Adam', () => {
  const w0 = [0.5, -1.25, 2];
  const grads = [
    [0.1, -0.2, 0.3],
    [0.4, 0.1, -0.3],
    [-0.2, 0.2, 0.1],
    [0.05, -0.5, 0.25],
  ];
  const run = (clearAt: number | null) => {
    const param: Param = { name: 'w', variable: tf.variable(tf.tensor1d(w0)), kind: 'conv', group: 0 };
    const opt = new Adam();
    const steps: number[] = [];
    grads.forEach((g, t) => {
      if (t === clearAt) opt.clearState();
      const gt = tf.tensor1d(g);
      opt.step([param], { [param.variable.name]: gt }, [0.1], [0.9]);
      gt.dispose();
      steps.push(opt.stepCount('w'));
    });
    const w = Array.from(param.variable.dataSync());
    opt.dispose();
    param.variable.dispose();
    return { w, steps };
  };

  it('matches a hand-computed run step for step', () => {
    const { w, steps } = run(null);
    expect(steps).toEqual([1, 2, 3, 4]);
    handAdam(w0, grads, 0.1, 0.9, true, new Set()).forEach((x, i) => expect(w[i]).toBeCloseTo(x, 5));
  });

  it('after clearState, the next step is a first step again (a two-phase run, computed by hand)', () => {
    const { w, steps } = run(3);
    expect(steps).toEqual([1, 2, 3, 1]);
    const expected = handAdam(w0, grads, 0.1, 0.9, true, new Set([3]));
    expected.forEach((x, i) => expect(w[i]).toBeCloseTo(x, 5));
    // The cleared run differs from the continued one by far more than rounding: the check above can tell them apart.
    const continued = handAdam(w0, grads, 0.1, 0.9, true, new Set());
    expect(Math.max(...expected.map((x, i) => Math.abs(x - continued[i]!)))).toBeGreaterThan(1e-3);
  });

  it('clearState frees the averages it held', () => {
    const param: Param = { name: 'w', variable: tf.variable(tf.tensor1d(w0)), kind: 'conv', group: 0 };
    const opt = new Adam();
    const g = tf.tensor1d(grads[0]!);
    const before = tf.memory().numTensors;
    opt.step([param], { [param.variable.name]: g }, [0.1], [0.9]);
    expect(tf.memory().numTensors).toBe(before + 2);
    opt.clearState();
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
    param.variable.dispose();
  });
});

describe("Learner.freeze / unfreeze clear the optimizer state, as fastai's freeze_to", () => {
  const TINY: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };
  const data = () => syntheticData({ classes: 3, trainItems: 24, validItems: 6, size: 12, batchSize: 6, seed: 1 });

  it('fine_tune(1): after the frozen epoch (4 steps) the head starts again at step 1, so it ends at 4, not 8', async () => {
    const learn = new Learner(buildResNet(TINY, 1), data());
    const head = learn.model.params.find((p) => p.group === 2 && p.kind === 'dense-weight')!;
    const body = learn.model.params.find((p) => p.group === 0 && p.kind === 'conv')!;
    const headSteps: number[] = [];
    learn.on((e) => e.kind === 'batch' && headSteps.push(learn.opt.stepCount(head.name)));
    await learn.fineTune(1, 2e-3);
    expect(headSteps).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(learn.opt.stepCount(body.name)).toBe(4);
  });

  it('freeze() after training forgets the averages', async () => {
    const learn = new Learner(buildResNet(TINY, 1), data());
    await learn.fit(1, 1e-3);
    const name = learn.model.params[0]!.name;
    expect(learn.opt.stepCount(name)).toBe(4);
    learn.freeze();
    expect(learn.opt.stepCount(name)).toBe(0);
    learn.unfreeze();
    expect(learn.opt.stepCount(name)).toBe(0);
  });
});
