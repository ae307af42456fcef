#!/usr/bin/env node
// npm run train -- --data <pack dir> [--arch resnet-s] [--size 96] [--epochs N] [--lr 1e-3|slice(a,b)] [--fine-tune]
//                  [--lr-find] [--pretrained <weights>] [--backend cpu|wasm|webgpu] [--batch 64] [--max-items N]
//                  [--seed 42] [--out <dir>]
// Trains ResNet-S on a prepared pack with the same engine the site uses, printing fastai's epoch table.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readPack, decodeWithSharp } from './data/read-pack';
import { nodeBackend } from './node-backend';
import { checkTrainInputs, parseTrainArgs, TRAIN_USAGE, UsageError } from './train-args';
import { packDataSource } from '../src/lib/data/pack-source';
import { archConfig } from '../src/lib/model/archs';
import { buildResNet } from '../src/lib/model/resnet-s';
import { loadWeights, saveWeights } from '../src/lib/model/weights';
import { Learner } from '../src/lib/train/learner';
import { formatEpochTable } from '../src/lib/train/recorder';
import { formatLr } from '../src/lib/train/lr-groups';
import { packOptionsFor } from '../src/lib/train/quick-run';

/** Writes `data` to `path` through a temp file, so a failure never leaves half a file. */
function writeWhole(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

async function main(): Promise<number> {
  // Every option and the files it names are checked before the backend starts or an image is decoded.
  let o;
  let checked;
  try {
    o = parseTrainArgs(process.argv.slice(2));
    if (o.help) {
      console.log(TRAIN_USAGE);
      return 0;
    }
    checked = checkTrainInputs(o);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  const { size, epochs, seed, maxItems } = o;
  const batchSize = o.batch;
  const values = { arch: o.arch, pretrained: o.pretrained, out: o.out, 'fine-tune': o.fineTune, 'lr-find': o.lrFind };

  const backend = await nodeBackend(o.backend);
  const pack = await readPack(o.data);
  const trainInPack = pack.manifest.images.filter((im) => im.split === 'train').length;
  // The same quick-run rule as the site's worker (--max-items is its maxTrain).
  const { options } = packOptionsFor(
    { batchSize, size, seed, maxTrain: maxItems },
    trainInPack,
    pack.manifest.images.length - trainInPack,
    512 * 1024 * 1024,
  );
  const data = packDataSource(pack, decodeWithSharp, options);
  const model = buildResNet(archConfig(values.arch, pack.manifest.classes.length), seed);
  if (checked.weights) {
    const r = loadWeights(model, checked.weights, { body: true });
    console.log(`loaded a pretrained body from ${values.pretrained} (${r.loaded} tensors; new head)`);
  }
  const learn = new Learner(model, data);
  console.log(
    `${values.arch} on ${pack.manifest.dataset} (${pack.manifest.classes.length} classes), ${size} px, batch ${batchSize}, backend ${backend}, ${data.trainBatchCount()} batches per epoch`,
  );
  learn.on((e) => {
    if (e.kind === 'phase') console.log(`\n${e.name}`);
    if (e.kind === 'epoch')
      console.log(formatEpochTable([e.record], e.record.epoch === 0 || learn.recorder.epochs.length === 1));
    if (e.kind === 'batch' && process.stderr.isTTY)
      process.stderr.write(`\r  batch ${e.stepInEpoch}/${e.stepsInEpoch} loss ${e.record.loss.toFixed(4)}   `);
  });
  if (values['lr-find']) {
    const r = await learn.lrFind();
    console.log(`lr_find: ${r.lrs.length} steps${r.stoppedEarly ? ' (stopped when the loss diverged)' : ''}`);
    for (const [k, v] of Object.entries(r.suggestions))
      console.log(
        `  ${k.padEnd(8)} ${Number.isFinite(v) ? v.toExponential(2) : `none (${r.missing[k as keyof typeof r.missing]})`}`,
      );
  }
  if (epochs > 0) {
    const lr = o.lr ?? (values['fine-tune'] ? 2e-3 : 1e-3);
    if (values['fine-tune']) {
      await learn.fineTune(epochs, lr as number);
    } else {
      console.log(`fit_one_cycle(${epochs}, ${formatLr(lr)})`);
      await learn.fitOneCycle(epochs, lr);
    }
  }
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeWhole(
      join(values.out, 'model.petw'),
      await saveWeights(model, { arch: values.arch, dataset: pack.manifest.dataset, size, epochs }),
    );
    writeWhole(
      join(values.out, 'history.json'),
      JSON.stringify({ epochs: learn.recorder.epochs, batches: learn.recorder.batches }),
    );
    console.log(`weights and history written to ${values.out}`);
  }
  console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  },
);
