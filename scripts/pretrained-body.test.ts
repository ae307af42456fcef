// The committed pretrained body (public/models/resnet-s-imagenette.petw, made by npm run pretrain-body): it is a
// ResNet-S trained on Imagenette at 64 px, it loads under a new 37-breed head without touching that head, and with its
// own head it recognises Imagenette validation images it never trained on far above chance.
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGENETTE_CLASSES } from '../src/lib/model/imagenette-classes';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuTransform } from '../src/lib/kernels/cpu/cpu-transform';
import { preparePack } from './data/prepare';
import { readPack, decodeWithSharp } from './data/read-pack';
import { packDataSource } from '../src/lib/data/pack-source';
import { buildResNet, disposeModel } from '../src/lib/model/resnet-s';
import { archConfig } from '../src/lib/model/archs';
import { loadWeights, parseWeights } from '../src/lib/model/weights';
import { Learner } from '../src/lib/train/learner';

const BODY = 'public/models/resnet-s-imagenette.petw';
const IMAGENETTE = '../shared/data/imagenette2-160';
/** Validation images per class: 10 classes, so 100 in all. */
const PER_CLASS = 10;

beforeAll(async () => {
  registerCpuTransform();
  await tf.setBackend('cpu');
});

describe('the pretrained body', () => {
  const parsed = parseWeights(new Uint8Array(readFileSync(BODY)));

  it('is a ResNet-S trained on Imagenette at 64 px', () => {
    expect(parsed.header.meta).toMatchObject({ arch: 'resnet-s', dataset: 'imagenette', size: 64 });
    expect(parsed.header.config).toEqual(archConfig('resnet-s', 10));
  });

  it('loads under a new 37-breed head, leaving that head as it was', () => {
    const model = buildResNet(archConfig('resnet-s', 37), 7);
    const head = model.params
      .find((p) => p.name === 'head.weight')!
      .variable.dataSync()
      .slice();
    const r = loadWeights(model, parsed, { body: true });
    expect(r.kept).toEqual(['head.weight', 'head.bias']);
    expect(model.params.find((p) => p.name === 'head.weight')!.variable.dataSync()).toEqual(head);
    const stem = model.params.find((p) => p.name === 'stem.conv')!.variable.dataSync();
    expect(stem).toEqual(parsed.values.get('stem.conv')!.data);
    disposeModel(model);
  });

  it(`recognises ${PER_CLASS * 10} Imagenette validation images far above chance (10 %)`, async () => {
    // A small pack in the official layout: every class's first validation images (and one training image each).
    const root = mkdtempSync(join(tmpdir(), 'inette-'));
    for (const split of ['train', 'val']) {
      for (const wnid of readdirSync(join(IMAGENETTE, split))) {
        mkdirSync(join(root, split, wnid), { recursive: true });
        for (const f of readdirSync(join(IMAGENETTE, split, wnid))
          .sort()
          .slice(0, split === 'val' ? PER_CLASS : 1)) {
          symlinkSync(resolve(IMAGENETTE, split, wnid, f), join(root, split, wnid, f));
        }
      }
    }
    // The class names (and so the vocabulary's order) come from classes.txt, as when the body was trained.
    symlinkSync(resolve(IMAGENETTE, 'classes.txt'), join(root, 'classes.txt'));
    const out = join(root, 'pack');
    await preparePack({
      dataset: 'imagenette',
      root,
      out,
      size: 160,
      split: 'official',
      validPct: 0.2,
      seed: 42,
      source: 'test',
      progress: false,
      log: () => {},
    });
    const pack = await readPack(out);
    expect(pack.manifest.classes).toHaveLength(10);
    expect(pack.manifest.classes).toContain('tench');
    // The feature-map demo names the body's own predictions with this list.
    expect(pack.manifest.classes).toEqual(IMAGENETTE_CLASSES);
    const data = packDataSource(pack, decodeWithSharp, {
      batchSize: 25,
      size: 64,
      minScale: 1,
      augment: false,
      seed: 1,
    });
    const model = buildResNet(archConfig('resnet-s', 10), 1);
    loadWeights(model, parsed);
    const preds = await new Learner(model, data).getPreds();
    expect(preds.targets).toHaveLength(PER_CLASS * 10);
    let right = 0;
    preds.targets.forEach((t, i) => {
      const row = preds.probs.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === t) right++;
    });
    expect(right / preds.targets.length).toBeGreaterThan(0.5);
    disposeModel(model);
  }, 120_000);
});
