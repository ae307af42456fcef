// npm run train's options: read and checked before any work (no backend, no data decoding), each mistake named in
// one line. parseTrainArgs is pure (argv in, options out); checkTrainInputs then looks at the files the options name.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ARCHS } from '../src/lib/model/archs';
import { parseManifest, type PackManifest } from '../src/lib/data/manifest';
import { parseWeights, type ParsedWeights } from '../src/lib/model/weights';
import { parseLr } from '../src/lib/train/parse-lr';
import type { LrSpec } from '../src/lib/train/lr-groups';

export const TRAIN_USAGE = `usage: npm run train -- --data <pack dir> [--arch ${Object.keys(ARCHS).join('|')}] [--size 96] [--epochs 1]
                      [--lr 1e-3|slice(1e-6,1e-4)] [--fine-tune] [--lr-find] [--pretrained <weights.petw>]
                      [--backend cpu|wasm|webgpu] [--batch 64] [--max-items N] [--seed 42] [--out <dir>]`;

/** A mistake in the command line: printed as one line (with the usage), exit status 2. */
export class UsageError extends Error {}

export const TRAIN_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;

export interface TrainOptions {
  data: string;
  arch: string;
  size: number;
  epochs: number;
  lr: LrSpec | undefined;
  fineTune: boolean;
  lrFind: boolean;
  pretrained: string | undefined;
  backend: (typeof TRAIN_BACKENDS)[number];
  batch: number;
  maxItems: number | undefined;
  seed: number;
  out: string | undefined;
  help: boolean;
}

/** A whole number written plainly (no sign, exponent, hex or spaces) within [min, max]. */
function wholeNumber(name: string, text: string, min: number, max: number, what: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} ${text}: ${what}`);
  return n;
}

export function parseTrainArgs(argv: string[]): TrainOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        arch: { type: 'string', default: 'resnet-s' },
        size: { type: 'string', default: '96' },
        epochs: { type: 'string', default: '1' },
        lr: { type: 'string' },
        'fine-tune': { type: 'boolean', default: false },
        'lr-find': { type: 'boolean', default: false },
        pretrained: { type: 'string' },
        backend: { type: 'string', default: 'cpu' },
        batch: { type: 'string', default: '64' },
        'max-items': { type: 'string' },
        seed: { type: 'string', default: '42' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const help = values.help;
  if (help)
    return {
      help,
      data: '',
      arch: 'resnet-s',
      size: 96,
      epochs: 1,
      lr: undefined,
      fineTune: false,
      lrFind: false,
      pretrained: undefined,
      backend: 'cpu',
      batch: 64,
      maxItems: undefined,
      seed: 42,
      out: undefined,
    };
  if (!values.data) throw new UsageError('--data <pack dir> is required (prepare a pack with npm run data).');
  if (!Object.hasOwn(ARCHS, values.arch))
    throw new UsageError(
      `--arch ${values.arch}: unknown architecture; choose one of ${Object.keys(ARCHS).join(', ')}.`,
    );
  const backend = values.backend as TrainOptions['backend'];
  if (!(TRAIN_BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`--backend ${values.backend}: in Node choose one of ${TRAIN_BACKENDS.join(', ')}.`);
  const size = wholeNumber(
    'size',
    values.size,
    16,
    1024,
    'the image side must be a whole number of pixels from 16 to 1024.',
  );
  const epochs = wholeNumber('epochs', values.epochs, 0, 1000, 'must be a whole number of epochs from 0 to 1000.');
  const batch = wholeNumber('batch', values.batch, 1, 1024, 'the batch size must be a whole number from 1 to 1024.');
  const seed = wholeNumber(
    'seed',
    values.seed,
    0,
    2 ** 31 - 1,
    `the seed must be a whole number from 0 to ${2 ** 31 - 1}.`,
  );
  const maxItems =
    values['max-items'] === undefined
      ? undefined
      : wholeNumber(
          'max-items',
          values['max-items'],
          1,
          Number.MAX_SAFE_INTEGER,
          'must be a whole number of images, 1 or more.',
        );
  const fineTune = values['fine-tune'];
  const lrFind = values['lr-find'];
  let lr: LrSpec | undefined;
  if (values.lr !== undefined) {
    try {
      lr = parseLr(values.lr);
    } catch (error) {
      throw new UsageError(`--lr ${values.lr}: ${(error as Error).message}; write e.g. 1e-3 or slice(1e-6,1e-4).`);
    }
    if (typeof lr !== 'number' && lr.start !== undefined && lr.start > lr.stop)
      throw new UsageError(`--lr ${values.lr}: a slice goes from the smaller rate (earliest layers) to the larger.`);
    if (fineTune && typeof lr !== 'number')
      throw new UsageError(`--lr ${values.lr}: --fine-tune takes a single base learning rate, not a slice.`);
  }
  if (epochs === 0 && !lrFind)
    throw new UsageError('--epochs 0 trains nothing: give 1 or more (or --lr-find alone to only run the finder).');
  if (epochs === 0 && values.out !== undefined)
    throw new UsageError('--epochs 0 with --out would write an untrained model: give 1 or more epochs.');
  if (values.pretrained !== undefined && values.pretrained === '')
    throw new UsageError('--pretrained needs a weights file.');
  if (values.out !== undefined && values.out === '') throw new UsageError('--out needs a folder.');
  return {
    help,
    data: values.data,
    arch: values.arch,
    size,
    epochs,
    lr,
    fineTune,
    lrFind,
    pretrained: values.pretrained,
    backend,
    batch,
    maxItems,
    seed,
    out: values.out,
  };
}

export interface CheckedInputs {
  manifest: PackManifest;
  weights: ParsedWeights | undefined;
}

/** Looks at the files the options name (the pack, the pretrained weights, where --out would go); throws UsageError. */
export function checkTrainInputs(o: TrainOptions): CheckedInputs {
  let manifest: PackManifest;
  try {
    manifest = parseManifest(JSON.parse(readFileSync(join(o.data, 'manifest.json'), 'utf8')));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no manifest.json there' : (error as Error).message;
    throw new UsageError(`--data ${o.data}: not a readable pack (${why}); prepare one with npm run data.`);
  }
  for (const s of manifest.shards) {
    const path = join(o.data, s.file);
    const bytes = existsSync(path) ? statSync(path).size : -1;
    if (bytes !== s.bytes)
      throw new UsageError(
        `--data ${o.data}: ${s.file} ${bytes < 0 ? 'is missing' : `has ${bytes} bytes, the manifest says ${s.bytes}`}; prepare the pack again.`,
      );
  }
  const train = manifest.images.filter((im) => im.split === 'train').length;
  const used = Math.min(train, o.maxItems ?? Infinity);
  if (used < o.batch) {
    const whose =
      o.maxItems !== undefined && o.maxItems < train
        ? `the ${used} training images --max-items ${o.maxItems} keeps`
        : `the pack's ${used} training images`;
    throw new UsageError(`--batch ${o.batch} is more than ${whose}, so no batch would be full; use a smaller --batch.`);
  }

  let weights: ParsedWeights | undefined;
  if (o.pretrained !== undefined) {
    try {
      weights = parseWeights(new Uint8Array(readFileSync(o.pretrained)));
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new UsageError(`--pretrained ${o.pretrained}: ${why}`);
    }
    const arch = ARCHS[o.arch]!;
    const c = weights.header.config;
    if (
      !c ||
      JSON.stringify(c.widths) !== JSON.stringify(arch.widths) ||
      JSON.stringify(c.blocks) !== JSON.stringify(arch.blocks)
    ) {
      throw new UsageError(
        `--pretrained ${o.pretrained}: its body does not fit --arch ${o.arch} (widths ${JSON.stringify(c?.widths)}, blocks ${JSON.stringify(c?.blocks)}).`,
      );
    }
  }

  if (o.out !== undefined) {
    if (existsSync(o.out) && !statSync(o.out).isDirectory())
      throw new UsageError(`--out ${o.out}: a file is there, not a folder; the model and history go in a folder.`);
    let up = resolve(o.out);
    while (!existsSync(up)) up = dirname(up);
    if (!statSync(up).isDirectory())
      throw new UsageError(`--out ${o.out}: ${up} is a file, so the folder cannot be made.`);
    for (const name of ['model.petw', 'history.json']) {
      const path = join(o.out, name);
      if (existsSync(path) && !statSync(path).isFile())
        throw new UsageError(`--out ${o.out}: ${name} there is not a file.`);
    }
  }
  return { manifest, weights };
}
