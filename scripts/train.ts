#!/usr/bin/env node
// npm run train -- --data <pack dir> [--arch resnet-s] [--size 96] [--epochs N] [--lr 1e-3|slice(a,b)] [--fine-tune]
//                  [--lr-find] [--pretrained <weights>] [--backend cpu|wasm|webgpu] [--batch 64] [--max-items N]
//                  [--seed 42] [--out <dir>]
// Trains ResNet-S on a prepared pack with the same engine the site uses, printing fastai's epoch table.
import { parseArgs } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readPack, decodeWithSharp } from './data/read-pack';
import { nodeBackend } from './node-backend';
import { packDataSource } from '../src/lib/data/pack-source';
import { archConfig } from '../src/lib/model/archs';
import { buildResNet } from '../src/lib/model/resnet-s';
import { loadWeights, parseWeights, saveWeights } from '../src/lib/model/weights';
import { Learner } from '../src/lib/train/learner';
import { formatEpochTable } from '../src/lib/train/recorder';
import { parseLr } from '../src/lib/train/parse-lr';
import { formatLr } from '../src/lib/train/lr-groups';
import { isBackendName } from '../src/lib/engine/backend-names';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' }, arch: { type: 'string', default: 'resnet-s' }, size: { type: 'string', default: '96' },
      epochs: { type: 'string', default: '1' }, lr: { type: 'string' }, 'fine-tune': { type: 'boolean' }, 'lr-find': { type: 'boolean' },
      pretrained: { type: 'string' }, backend: { type: 'string', default: 'cpu' }, batch: { type: 'string', default: '64' },
      'max-items': { type: 'string' }, seed: { type: 'string', default: '42' }, out: { type: 'string' },
    },
  });
  if (!values.data) throw new Error('--data <pack dir> is required (prepare one with npm run data).');
  if (!isBackendName(values.backend)) throw new Error('--backend must be cpu, wasm, webgl or webgpu');
  const size = Number(values.size);
  const epochs = Number(values.epochs);
  const batchSize = Number(values.batch);
  const seed = Number(values.seed);
  const maxItems = values['max-items'] === undefined ? undefined : Number(values['max-items']);
  for (const [k, v] of Object.entries({ size, epochs, batch: batchSize, seed })) if (!Number.isInteger(v) || v < 0) throw new Error(`--${k} must be a whole number`);

  const backend = await nodeBackend(values.backend);
  const pack = await readPack(values.data);
  const data = packDataSource(pack, decodeWithSharp, {
    batchSize, size, minScale: 0.75, augment: true, seed, maxTrain: maxItems, maxValid: maxItems === undefined ? undefined : Math.ceil(maxItems / 4), cacheBytes: 512 * 1024 * 1024,
  });
  const model = buildResNet(archConfig(values.arch, pack.manifest.classes.length), seed);
  if (values.pretrained) {
    const r = loadWeights(model, parseWeights(new Uint8Array(readFileSync(values.pretrained))), { body: true });
    console.log(`loaded a pretrained body from ${values.pretrained} (${r.loaded} tensors; new head)`);
  }
  const learn = new Learner(model, data);
  console.log(`${values.arch} on ${pack.manifest.dataset} (${pack.manifest.classes.length} classes), ${size} px, batch ${batchSize}, backend ${backend}, ${data.trainBatchCount()} batches per epoch`);
  learn.on((e) => {
    if (e.kind === 'phase') console.log(`\n${e.name}`);
    if (e.kind === 'epoch') console.log(formatEpochTable([e.record], e.record.epoch === 0 || learn.recorder.epochs.length === 1));
    if (e.kind === 'batch' && process.stderr.isTTY) process.stderr.write(`\r  batch ${e.stepInEpoch}/${e.stepsInEpoch} loss ${e.record.loss.toFixed(4)}   `);
  });
  if (values['lr-find']) {
    const r = await learn.lrFind();
    console.log(`lr_find: ${r.lrs.length} steps${r.stoppedEarly ? ' (stopped when the loss diverged)' : ''}`);
    for (const [k, v] of Object.entries(r.suggestions)) console.log(`  ${k.padEnd(8)} ${Number.isFinite(v) ? v.toExponential(2) : `none (${r.missing[k as keyof typeof r.missing]})`}`);
  }
  if (epochs > 0) {
    const lr = values.lr ? parseLr(values.lr) : values['fine-tune'] ? 2e-3 : 1e-3;
    if (values['fine-tune']) {
      if (typeof lr !== 'number') throw new Error('--fine-tune takes a single base learning rate');
      await learn.fineTune(epochs, lr);
    } else {
      console.log(`fit_one_cycle(${epochs}, ${formatLr(lr)})`);
      await learn.fitOneCycle(epochs, lr);
    }
  }
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'model.petw'), await saveWeights(model, { arch: values.arch, dataset: pack.manifest.dataset, size, epochs }));
    writeFileSync(join(values.out, 'history.json'), JSON.stringify({ epochs: learn.recorder.epochs, batches: learn.recorder.batches }));
    console.log(`weights and history written to ${values.out}`);
  }
  console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
