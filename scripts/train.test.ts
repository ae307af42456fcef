// A short run on the real pets pack (prepared here from the shared sample, small images) lowers the training loss,
// on the cpu backend in Node, through the same data pipeline and engine the site uses.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuTransform } from '../src/lib/engine/kernels/cpu-transform';
import { preparePack } from './data/prepare';
import { readPack, decodeWithSharp } from './data/read-pack';
import { packDataSource } from '../src/lib/data/pack-source';
import { buildResNet } from '../src/lib/model/resnet-s';
import { archConfig } from '../src/lib/model/archs';
import { Learner } from '../src/lib/train/learner';
import { parseLr } from '../src/lib/train/parse-lr';
import { accuracyOf, confusionMatrix, predictedClasses } from '../src/lib/train/interpret';

const SAMPLE = '../shared/data/oxford-iiit-pet-sample';

beforeAll(async () => {
  registerCpuTransform();
  await tf.setBackend('cpu');
});

describe('training on the pets pack', () => {
  it('needs the shared sample beside the checkout', () => {
    expect(existsSync(SAMPLE), `${SAMPLE} is missing: these tests train on it`).toBe(true);
  });

  it('lowers the training loss over a few epochs (cpu backend, 24 px, 32 images)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'train-test-')), 'pets');
    await preparePack({ dataset: 'pets', root: SAMPLE, out, size: 32, split: 'random', validPct: 0.2, seed: 42, source: 'test', progress: false, log: () => {} });
    const pack = await readPack(out);
    const data = packDataSource(pack, decodeWithSharp, { batchSize: 16, size: 24, minScale: 1, augment: false, seed: 1, maxTrain: 32, maxValid: 8, cacheBytes: 64 << 20 });
    const learn = new Learner(buildResNet(archConfig('resnet-tiny', pack.manifest.classes.length), 1), data);
    await learn.fit(5, 1e-2);
    const losses = learn.recorder.batches.map((b) => b.loss);
    expect(losses).toHaveLength(10);
    const first = (losses[0]! + losses[1]!) / 2;
    const last = (losses[8]! + losses[9]!) / 2;
    expect(last).toBeLessThan(first - 0.3);
    expect(learn.recorder.epochs).toHaveLength(5);
    expect(learn.recorder.epochs[4]!.validLoss).toBeGreaterThan(0);

    // Interpretation: one prediction per validation item, in validNames' order, with progress after every batch.
    const seen: number[] = [];
    const preds = await learn.getPreds((done) => seen.push(done));
    expect(seen).toEqual([8]);
    expect(data.validNames).toHaveLength(8);
    const labelOf = new Map(pack.manifest.images.map((im) => [im.name, im.label]));
    expect([...preds.targets]).toEqual(data.validNames.map((n) => labelOf.get(n)));
    const m = confusionMatrix(preds.targets, predictedClasses(preds.probs, preds.classes), preds.classes);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(8);
    expect(1 - accuracyOf(m)).toBeCloseTo(learn.recorder.epochs[4]!.errorRate, 6);
  }, 120_000);

  it('reads learning rates as written', () => {
    expect(parseLr('1e-3')).toBe(1e-3);
    expect(parseLr('slice(1e-6, 1e-4)')).toEqual({ start: 1e-6, stop: 1e-4 });
    expect(parseLr('slice(3e-3)')).toEqual({ stop: 3e-3 });
    expect(() => parseLr('fast')).toThrow(/not a positive learning rate/);
  });
});
