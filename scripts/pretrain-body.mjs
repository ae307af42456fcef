#!/usr/bin/env node
// npm run pretrain-body -- [--source <imagenette url|.tgz|folder>] [--epochs 5] [--backend wasm]
// Makes the body the transfer-learning demos start from: prepares the Imagenette pack, trains ResNet-S on it with
// the site's engine (64 px, batch 32, fit_one_cycle at 4e-3) and writes public/models/resnet-s-imagenette.petw.
// The file is committed, so the site needs none of this; it is here so the weights can be made again.
// The weights appear only once training has finished: a stopped run leaves the old file as it was.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const OUT = 'public/models/resnet-s-imagenette.petw';
const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    epochs: { type: 'string', default: '5' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const work = mkdtempSync(join(tmpdir(), 'pretrain-'));
const run = (script, args) => {
  const r = spawnSync('npm', ['run', '--silent', script, '--', ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`error: npm run ${script} failed; ${OUT} is unchanged.`);
    process.exit(r.status ?? 1);
  }
};
run('data', [
  '--dataset',
  'imagenette',
  '--out',
  join(work, 'imagenette'),
  ...(values.source ? ['--source', values.source] : []),
]);
run('train', [
  '--data',
  join(work, 'imagenette'),
  '--arch',
  'resnet-s',
  '--size',
  '64',
  '--batch',
  '32',
  '--epochs',
  values.epochs,
  '--lr',
  '4e-3',
  '--backend',
  values.backend,
  '--out',
  join(work, 'run'),
]);
mkdirSync('public/models', { recursive: true });
copyFileSync(join(work, 'run', 'model.petw'), `${OUT}.tmp`);
renameSync(`${OUT}.tmp`, OUT);
console.log(`wrote ${OUT}`);
