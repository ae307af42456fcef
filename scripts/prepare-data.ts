#!/usr/bin/env node
// npm run data -- [--dataset pets|imagenette] [--source <url|.tar.gz|folder>] [--out <dir>] [--size <px>]
//                 [--split random|official] [--valid-pct 0.2] [--seed 42]
// Prepares a presized pack for the site and the Node tools, and prints a report.
import { parseArgs } from 'node:util';
import { preparePack, formatReport, PrepareError } from './data/prepare';
import { resolveSource } from './data/sources';
import { DownloadError } from './data/download';
import { checkOutput } from './data/output-check';
import type { Dataset } from './data/scan';

const USAGE = `usage: npm run data -- [--dataset pets|imagenette] [--source <url|.tar.gz|folder>] [--out <dir>]
                     [--size <px>] [--split random|official] [--valid-pct 0.2] [--seed 42]`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dataset: { type: 'string', default: 'pets' },
        source: { type: 'string' },
        out: { type: 'string' },
        size: { type: 'string', default: '160' },
        split: { type: 'string' },
        'valid-pct': { type: 'string', default: '0.2' },
        seed: { type: 'string', default: '42' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataset = values.dataset as Dataset;
  if (dataset !== 'pets' && dataset !== 'imagenette') return usage(`unknown --dataset ${values.dataset}`);
  const size = Number(values.size);
  if (!Number.isInteger(size) || size < 16 || size > 1024)
    return usage(`--size must be a whole number of pixels from 16 to 1024`);
  const split = (values.split ?? (dataset === 'imagenette' ? 'official' : 'random')) as 'random' | 'official';
  if (split !== 'random' && split !== 'official') return usage(`--split must be random or official`);
  const validPct = Number(values['valid-pct']);
  if (!(validPct >= 0 && validPct < 1)) return usage(`--valid-pct must be at least 0 and below 1`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) return usage(`--seed must be a whole number`);

  const out = values.out ?? `public/data/${dataset}`;
  checkOutput(out); // before any download or scan: only a previous pack may be replaced
  const { root, label } = await resolveSource(dataset, values.source);
  console.error(`preparing ${dataset} from ${label} -> ${out} (shorter side ${size} px, ${split} split)`);
  const report = await preparePack({ dataset, root, out, size, split, validPct, seed, source: label });
  console.log(formatReport(report));
  console.log(`pack written to ${out}/manifest.json`);
  return 0;
}

function usage(why: string): number {
  console.error(`${why}\n${USAGE}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof PrepareError || error instanceof DownloadError || error instanceof Error)
      console.error(`error: ${error.message}`);
    process.exit(1);
  },
);
