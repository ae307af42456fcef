// The engine against the chapter's numbers, fastai's rules and plain maths, on TF.js's cpu backend in Node.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { accuracy, crossEntropy, crossEntropyPerItem, errorRate, logSoftmax, nllPerItem, softmax } from './losses';
import { chapterActs, chapterTargets } from '../maths/chapter-example';
import * as plain from '../maths/probabilities';
import {
  buildResNet,
  countParams,
  disposeModel,
  forward,
  learnable,
  RESNET_S,
  type ResNetConfig,
} from '../model/resnet-s';
import { learnableParams, trainingFlops } from '../model/config';
import { ARCHS, archConfig } from '../model/archs';
import { loadWeights, parseWeights, saveWeights } from '../model/weights';
import { Learner, GROUPS, PredictionStopped, predictAll } from './learner';
import { syntheticData } from './synthetic-data';
import { fineTunePhases, phaseLrSteps } from './fine-tune-plan';
import { oneCycle, stepPos } from './schedules';

const TINY: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };
const tinyData = (seed = 1, batchSize = 6) =>
  syntheticData({ classes: 3, trainItems: 24, validItems: 6, size: 12, batchSize, seed });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const acts = () => tf.tensor2d(chapterActs.map((r) => [...r]));
const targ = () => tf.tensor1d([...chapterTargets], 'int32');

describe('losses on tensors', () => {
  it("cross-entropy of the chapter's acts/targ: per item and mean 1.8045 (to 1e-4)", () => {
    const per = crossEntropyPerItem(acts(), targ()).arraySync();
    [0.5067, 0.6973, 2.016, 5.6958, 0.9062, 1.0048].forEach((v, i) => expect(Math.abs(per[i]! - v)).toBeLessThan(1e-4));
    expect(Math.abs(crossEntropy(acts(), targ()).arraySync() - 1.8045)).toBeLessThan(1e-4);
  });
  it('softmax rows, and sigmoid of the difference equals softmax column 0', () => {
    const p = softmax(acts()).arraySync();
    p.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(plain.softmax(chapterActs[i]!)[j]!, 6)));
    const sig = tf
      .sigmoid(tf.sub(tf.slice(acts(), [0, 0], [6, 1]), tf.slice(acts(), [0, 1], [6, 1])))
      .arraySync() as number[][];
    sig.forEach((r, i) => expect(r[0]).toBeCloseTo(p[i]![0]!, 6));
  });
  it("matches TF.js's own ops", () => {
    const logits = tf.randomNormal([5, 7], 0, 3, 'float32', 3) as tf.Tensor2D;
    const t = tf.tensor1d([0, 6, 3, 3, 1], 'int32');
    expect(softmax(logits).arraySync()).toEqual(expect.anything());
    const ours = softmax(logits).dataSync();
    tf.softmax(logits)
      .dataSync()
      .forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 6));
    const lsm = logSoftmax(logits).dataSync();
    tf.logSoftmax(logits)
      .dataSync()
      .forEach((v, i) => expect(lsm[i]).toBeCloseTo(v, 5));
    const tfLoss = tf.losses.softmaxCrossEntropy(tf.oneHot(t, 7), logits).arraySync() as number;
    expect(crossEntropy(logits, t).arraySync()).toBeCloseTo(tfLoss, 5);
    expect(nllPerItem(logSoftmax(logits), t).arraySync()).toEqual(crossEntropyPerItem(logits, t).arraySync());
  });
  it('accuracy and error rate', () => {
    expect(accuracy(acts(), targ()).arraySync()).toBeCloseTo(1 / 6, 6); // only item 0 picks its target
    expect(errorRate(acts(), targ()).arraySync()).toBeCloseTo(1 - 1 / 6, 6);
  });
});

describe('ResNet-S', () => {
  it('has about 1.24 M parameters and the reference output shapes at 96 px', () => {
    const model = buildResNet(RESNET_S, 0);
    const n = countParams(model, ['conv', 'bn-weight', 'bn-bias', 'dense-weight', 'dense-bias']);
    expect(n).toBe(1_235_909);
    const out = tf.tidy(() => forward(model, tf.zeros([2, 96, 96, 3]) as tf.Tensor4D, false).shape);
    expect(out).toEqual([2, 37]);
    expect(new Set(model.params.map((p) => p.group))).toEqual(new Set([0, 1, 2]));
    expect(model.params.filter((p) => p.group === 2).map((p) => p.name)).toEqual(['head.weight', 'head.bias']);
    expect(model.params.find((p) => p.name === 'stages.1.0.a.conv')!.group).toBe(0);
    expect(model.params.find((p) => p.name === 'stages.2.0.a.conv')!.group).toBe(1);
  });
  it("counts parameters and training cost from the config alone: every architecture, and the reference's 0.857 GFLOP", () => {
    for (const name of Object.keys(ARCHS)) {
      const model = buildResNet(archConfig(name, 37), 0);
      expect(learnableParams(model.config), name).toBe(
        countParams(model, ['conv', 'bn-weight', 'bn-bias', 'dense-weight', 'dense-bias']),
      );
      disposeModel(model);
    }
    // ../shared/reference/README.md: 0.857 GFLOP per 96 px image, forward plus backward (PyTorch's flop counter).
    expect(Math.abs(trainingFlops(RESNET_S, 96) / 1e9 - 0.857)).toBeLessThan(0.0005);
    // Odd sizes round the way the convolutions do: 97 px gives 49, 25, 13, 7 px feature maps.
    expect(trainingFlops(RESNET_S, 97)).toBeGreaterThan(trainingFlops(RESNET_S, 96));
    expect(trainingFlops(archConfig('resnet-s-deep', 37), 96)).toBeGreaterThan(1.9 * trainingFlops(RESNET_S, 96));
  });
  it('is built the same from the same seed', () => {
    const a = buildResNet(TINY, 5);
    const b = buildResNet(TINY, 5);
    a.params.forEach((p, i) => expect(p.variable.dataSync()).toEqual(b.params[i]!.variable.dataSync()));
  });
  it('gradients match central finite differences on the cpu backend', async () => {
    const model = buildResNet({ widths: [2, 2, 2, 2], blocks: [1, 1, 1, 1], classes: 3 }, 3);
    const x = tf.randomNormal([3, 8, 8, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const y = tf.tensor1d([0, 2, 1], 'int32');
    const loss = () => crossEntropy(forward(model, x, false), y);
    const p = model.params.find((q) => q.name === 'head.weight')!;
    const c = model.params.find((q) => q.name === 'stages.0.0.a.conv')!;
    const { grads } = tf.variableGrads(loss, [p.variable, c.variable]);
    for (const param of [p, c]) {
      const g = grads[param.variable.name]!.dataSync();
      const values = param.variable.dataSync().slice();
      for (const k of [0, 3, 5]) {
        const h = 1e-2;
        const at = (d: number) => {
          const v = values.slice();
          v[k] = v[k]! + d;
          param.variable.assign(tf.tensor(v, param.variable.shape));
          return loss().dataSync()[0]!;
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        param.variable.assign(tf.tensor(values, param.variable.shape));
        expect(Math.abs(g[k]! - numeric)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
      }
    }
  });
  it('saves and loads weights bit for bit, and loads a body under a new head', async () => {
    const a = buildResNet(TINY, 1);
    const bytes = await saveWeights(a, { trainedOn: 'synthetic' });
    const b = buildResNet(TINY, 2);
    const headBefore = b.headW.variable.dataSync().slice();
    loadWeights(b, parseWeights(bytes), { body: true });
    expect(b.headW.variable.dataSync()).toEqual(headBefore);
    expect(b.stem.conv.variable.dataSync()).toEqual(a.stem.conv.variable.dataSync());
    loadWeights(b, parseWeights(bytes));
    b.params.forEach((p, i) => expect(p.variable.dataSync()).toEqual(a.params[i]!.variable.dataSync()));
    expect(parseWeights(bytes).header.meta).toEqual({ trainedOn: 'synthetic' });
    expect(() => loadWeights(buildResNet({ ...TINY, widths: [4, 8, 8, 16] }, 1), parseWeights(bytes))).toThrow(
      /do not fit the model/,
    );
    expect(() => parseWeights(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(/expected signature/);
  });
});

describe('Learner', () => {
  it('freezing: after a step, body weights other than BatchNorm are bit-identical and the head changed', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    learn.freeze();
    const before = new Map(learn.model.params.map((p) => [p.name, p.variable.dataSync().slice()]));
    await learn.fit(1, 1e-2);
    for (const p of learn.model.params) {
      const same = p.variable.dataSync().every((v, i) => v === before.get(p.name)![i]);
      if (p.group === 2 || p.kind.startsWith('bn')) expect(same, p.name).toBe(false);
      else expect(same, p.name).toBe(true);
    }
  });
  it("fit_one_cycle records fastai's lr and momentum at every step", async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    await learn.fitOneCycle(2, 1e-2);
    const b = learn.recorder.batches;
    const n = b.length;
    expect(n).toBe(8);
    const s = oneCycle(1e-2);
    b.forEach((r, i) => {
      expect(r.lrs[2]).toBeCloseTo(s.lr(stepPos(i, n)), 12);
      expect(r.mom).toBeCloseTo(s.mom(stepPos(i, n)), 12);
    });
    expect(learn.recorder.epochs).toHaveLength(2);
  });
  it('fine_tune: a frozen one-cycle phase at slice(base_lr), then unfrozen at slice(base_lr/2/100, base_lr/2) with div 5', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    const phases: string[] = [];
    learn.on((e) => e.kind === 'phase' && phases.push(e.name));
    await learn.fineTune(1, 2e-3);
    expect(phases).toEqual(['fine_tune: frozen', 'fine_tune: unfrozen, lr_max 0.001 (base_lr / 2)']);
    const b = learn.recorder.batches;
    expect(b).toHaveLength(8);
    const frozen = b.slice(0, 4);
    const unfrozen = b.slice(4);
    const f = [
      oneCycle(2e-4, { div: 25, divFinal: 1e5, pctStart: 0.99, moms: [0.95, 0.85, 0.95] }),
      oneCycle(2e-3, { div: 25, divFinal: 1e5, pctStart: 0.99, moms: [0.95, 0.85, 0.95] }),
    ];
    frozen.forEach((r, i) => {
      expect(r.lrs[0]).toBeCloseTo(f[0]!.lr(i / 4), 14);
      expect(r.lrs[2]).toBeCloseTo(f[1]!.lr(i / 4), 14);
    });
    const u = [1e-5, 1e-4, 1e-3].map((lr) =>
      oneCycle(lr, { div: 5, divFinal: 1e5, pctStart: 0.3, moms: [0.95, 0.85, 0.95] }),
    );
    unfrozen.forEach((r, i) => r.lrs.forEach((lr, g) => expect(lr).toBeCloseTo(u[g]!.lr(i / 4), 14)));
    expect(learn.frozen).toBe(false);
  });
  it('fine_tune sets exactly the rates its plan gives, also without a frozen phase and with one rate for all groups', async () => {
    for (const o of [{}, { freezeEpochs: 0, lrMult: 1 }, { freezeEpochs: 2, lrMult: 10 }]) {
      const learn = new Learner(buildResNet(TINY, 1), tinyData());
      await learn.fineTune(1, 4e-3, o);
      const plan = phaseLrSteps(fineTunePhases(1, 4e-3, o), 4);
      expect(learn.recorder.batches.map((b) => b.lrs)).toEqual(plan.map((s) => s.lrs));
      expect(learn.frozen).toBe(false);
    }
  });
  it('lr_find stops early on a diverging loss and puts the weights back bit for bit', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData(1, 3));
    await learn.fit(1, 1e-3); // optimizer state exists and must be restored too
    const before = learn.model.params.map((p) => p.variable.dataSync().slice());
    const r = await learn.lrFind({ startLr: 1e-4, endLr: 1e6, numIt: 40 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.lrs.length).toBeLessThan(40);
    learn.model.params.forEach((p, i) => expect(p.variable.dataSync()).toEqual(before[i]));
    r.lrs.forEach((lr, i) => expect(lr).toBeCloseTo(1e-4 * 1e10 ** (i / 40), 6));
  });
  it('a short run lowers the training loss, and the number of live tensors stays flat across epochs', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData(2));
    const counts: number[] = [];
    learn.on((e) => e.kind === 'epoch' && counts.push(tf.memory().numTensors));
    await learn.fitOneCycle(4, 3e-2);
    const losses = learn.recorder.batches.map((b) => b.loss);
    const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4;
    const last = losses.slice(-4).reduce((a, b) => a + b) / 4;
    expect(last).toBeLessThan(first * 0.8);
    expect(counts[2]).toBe(counts[0]);
    expect(counts[3]).toBe(counts[0]);
  });
  it('stops within one batch when asked', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    learn.on((e) => {
      if (e.kind === 'batch' && e.record.iter === 1) learn.stop();
    });
    expect(await learn.fit(3, 1e-3)).toBe('requested');
    expect(learn.recorder.batches).toHaveLength(2);
    expect(GROUPS).toBe(3);
  });
  it('a stop that arrives on a later turn of the event loop (a worker message) takes effect within one batch', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    let stopAt = -1;
    learn.on((e) => {
      if (e.kind === 'batch' && e.record.iter === 0)
        setTimeout(() => ((stopAt = learn.recorder.batches.length), learn.stop()), 0);
    });
    expect(await learn.fit(3, 1e-3)).toBe('requested');
    expect(stopAt).toBe(1);
    expect(learn.recorder.batches.length).toBeLessThanOrEqual(stopAt + 1);
  });
  it('a stopped lr_find says it was stopped, not diverged, and suggests nothing from too few batches', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    learn.on((e) => {
      if (e.kind === 'batch' && e.record.iter === 0) setTimeout(() => learn.stop(), 0);
    });
    const r = await learn.lrFind({ numIt: 20 });
    expect(r.outcome).toBe('requested');
    expect(r.stoppedEarly).toBe(true);
    expect(r.lrs.length).toBeLessThanOrEqual(2);
    expect(Object.values(r.suggestions).every((v) => Number.isNaN(v))).toBe(true);
  });
  it('predictAll stops between batches when its check says so, and otherwise predicts every item', async () => {
    const model = buildResNet(TINY, 1);
    const data = tinyData(1, 2);
    let asked = 0;
    await expect(predictAll(model, data, undefined, () => ++asked >= 2)).rejects.toBeInstanceOf(PredictionStopped);
    expect(asked).toBe(2);
    expect((await predictAll(model, data, undefined, () => false)).targets).toHaveLength(6);
  });
  it('a stop that arrives while validating is kept: fine_tune does not start its second phase', async () => {
    const learn = new Learner(buildResNet(TINY, 1), tinyData());
    learn.on((e) => {
      if (e.kind === 'epoch') learn.stop(); // after the frozen phase's only epoch has been validated
    });
    expect(await learn.fineTune(2, 1e-3)).toBe('requested');
    expect(learn.recorder.epochs).toHaveLength(1);
    // A new command starts afresh (the listener asks to stop again only once its one epoch is over).
    const after = learn.recorder.batches.length;
    expect(await learn.fit(1, 1e-3)).toBe('done');
    expect(learn.recorder.batches.length).toBeGreaterThan(after);
  });
  it('a seed makes a CPU run reproducible', async () => {
    const run = async () => {
      const learn = new Learner(buildResNet(TINY, 7), tinyData(3));
      await learn.fit(1, 1e-2);
      return learn.recorder.batches.map((b) => b.loss);
    };
    expect(await run()).toEqual(await run());
    expect(learnable(buildResNet(TINY, 7)).length).toBeGreaterThan(0);
  });
});
