// A short run on the real pets pack (prepared here from the shared sample, small images) lowers the training loss,
// on the cpu backend in Node, through the same data pipeline and engine the site uses; and the command's checks of
// every option, before any work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuTransform } from '../src/lib/kernels/cpu/cpu-transform';
import { preparePack } from './data/prepare';
import { readPack, decodeWithSharp } from './data/read-pack';
import { packDataSource } from '../src/lib/data/pack-source';
import { buildResNet } from '../src/lib/model/resnet-s';
import { archConfig } from '../src/lib/model/archs';
import { Learner } from '../src/lib/train/learner';
import { parseLr } from '../src/lib/train/parse-lr';
import { saveWeights } from '../src/lib/model/weights';
import { PackWriter } from './data/pack-writer';
import { checkTrainInputs, parseTrainArgs, UsageError } from './train-args';
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
    await preparePack({
      dataset: 'pets',
      root: SAMPLE,
      out,
      size: 32,
      split: 'random',
      validPct: 0.2,
      seed: 42,
      source: 'test',
      progress: false,
      log: () => {},
    });
    const pack = await readPack(out);
    const data = packDataSource(pack, decodeWithSharp, {
      batchSize: 16,
      size: 24,
      minScale: 1,
      augment: false,
      seed: 1,
      maxTrain: 32,
      maxValid: 8,
      cacheBytes: 64 << 20,
    });
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

describe('npm run train: every option checked before any work', () => {
  const ok = ['--data', 'pack'];
  const parse = (...args: string[]) => parseTrainArgs([...ok, ...args]);
  const refused: [string[], RegExp][] = [
    [['--batch', '0'], /^--batch 0: the batch size must be a whole number from 1 to 1024\.$/],
    [['--batch', '-3'], /argument is ambiguous|--batch -3/],
    [['--batch=2.5'], /^--batch 2\.5: /],
    [['--size', '0'], /^--size 0: the image side must be a whole number of pixels from 16 to 1024\.$/],
    [['--size', '1e2'], /^--size 1e2: /],
    [['--size', '0x60'], /^--size 0x60: /],
    [
      ['--arch', 'constructor'],
      /^--arch constructor: unknown architecture; choose one of resnet-s, resnet-s-deep, resnet-s-wide, resnet-tiny\.$/,
    ],
    [['--arch', 'toString'], /^--arch toString: unknown architecture/],
    [['--arch', '__proto__'], /^--arch __proto__: unknown architecture/],
    [['--epochs', '0'], /^--epochs 0 trains nothing/],
    [['--epochs', '0', '--lr-find', '--out', 'o'], /^--epochs 0 with --out would write an untrained model/],
    [['--epochs', 'three'], /^--epochs three: must be a whole number of epochs/],
    [['--max-items=-5'], /^--max-items -5: must be a whole number of images, 1 or more\.$/],
    [['--max-items', '0'], /^--max-items 0: /],
    [['--seed', '-1'], /argument is ambiguous|--seed -1/],
    [['--seed', '4294967296'], /^--seed 4294967296: the seed must be a whole number from 0 to 2147483647\.$/],
    [['--lr', 'fast'], /^--lr fast: "fast" is not a positive learning rate; write e\.g\. 1e-3/],
    [['--lr', '0'], /^--lr 0: "0" is not a positive learning rate/],
    [['--lr', 'slice(1e-4,1e-6)'], /^--lr slice\(1e-4,1e-6\): a slice goes from the smaller rate/],
    [['--fine-tune', '--lr', 'slice(1e-6,1e-4)'], /--fine-tune takes a single base learning rate, not a slice/],
    [['--backend', 'webgl'], /^--backend webgl: in Node choose one of cpu, wasm, webgpu\.$/],
    [['--backend', 'constructor'], /^--backend constructor: /],
    [['--pretrained='], /^--pretrained needs a weights file\.$/],
    [['--out='], /^--out needs a folder\.$/],
    [['--epoch', '3'], /Unknown option '--epoch'/],
    [['extra'], /Unexpected argument 'extra'/],
  ];
  for (const [args, message] of refused) {
    it(`refuses ${args.join(' ')}`, () => {
      expect(() => parse(...args)).toThrow(UsageError);
      expect(() => parse(...args)).toThrow(message);
    });
  }

  it('requires --data, and reads good options as written', () => {
    expect(() => parseTrainArgs([])).toThrow(/^--data <pack dir> is required/);
    expect(
      parse(
        '--arch',
        'resnet-tiny',
        '--size',
        '64',
        '--epochs',
        '3',
        '--lr',
        'slice(1e-6,1e-4)',
        '--batch',
        '16',
        '--max-items',
        '40',
        '--seed',
        '7',
        '--backend',
        'wasm',
        '--out',
        'o',
      ),
    ).toMatchObject({
      data: 'pack',
      arch: 'resnet-tiny',
      size: 64,
      epochs: 3,
      lr: { start: 1e-6, stop: 1e-4 },
      batch: 16,
      maxItems: 40,
      seed: 7,
      backend: 'wasm',
      out: 'o',
      fineTune: false,
      lrFind: false,
    });
    expect(parse('--epochs', '0', '--lr-find')).toMatchObject({ epochs: 0, lrFind: true });
    expect(parse()).toMatchObject({
      arch: 'resnet-s',
      size: 96,
      epochs: 1,
      batch: 64,
      seed: 42,
      backend: 'cpu',
      lr: undefined,
      maxItems: undefined,
    });
    expect(() => archConfig('constructor', 2)).toThrow(/Unknown architecture "constructor"/);
  });

  describe('the files options name', () => {
    let dir: string;
    let pack: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'train-args-'));
      pack = join(dir, 'pack');
      const w = new PackWriter(pack);
      for (let i = 0; i < 10; i++)
        w.add(new Uint8Array(8).fill(i), {
          width: 1,
          height: 1,
          label: 0,
          split: i < 8 ? 'train' : 'valid',
          name: `a_${i}.jpg`,
        });
      w.finish({ dataset: 'pets', size: 1, classes: ['a'], source: 't', split: { kind: 'official' } });
      writeFileSync(join(dir, 'file.txt'), 'x');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const check = (...args: string[]) => checkTrainInputs(parseTrainArgs(['--data', pack, ...args]));

    it('refuses a missing pack, a batch larger than the images, bad weights, an --out that is a file', () => {
      expect(() => checkTrainInputs(parseTrainArgs(['--data', join(dir, 'nope')]))).toThrow(
        /^--data .*nope: not a readable pack \(no manifest.json there\)/,
      );
      expect(() => check('--batch', '9')).toThrow(
        /^--batch 9 is more than the pack's 8 training images, so no batch would be full/,
      );
      expect(() => check('--batch', '4', '--max-items', '3')).toThrow(
        /^--batch 4 is more than the 3 training images --max-items 3 keeps/,
      );
      expect(() => check('--batch', '8', '--pretrained', join(dir, 'none.petw'))).toThrow(
        /^--pretrained .*none\.petw: no such file$/,
      );
      expect(() => check('--batch', '8', '--pretrained', join(dir, 'file.txt'))).toThrow(
        /^--pretrained .*file\.txt: The weights file cannot be used: .*not a weights file of this site/,
      );
      expect(() => check('--batch', '8', '--out', join(dir, 'file.txt'))).toThrow(
        /^--out .*file\.txt: a file is there, not a folder/,
      );
      expect(() => check('--batch', '8', '--out', join(dir, 'file.txt', 'sub'))).toThrow(
        /file\.txt is a file, so the folder cannot be made/,
      );
      expect(check('--batch', '8', '--out', join(dir, 'new', 'folder')).manifest.images).toHaveLength(10);
    });

    it('refuses a pretrained body of another architecture', async () => {
      const file = join(dir, 'tiny.petw');
      writeFileSync(file, await saveWeights(buildResNet(archConfig('resnet-tiny', 3), 1)));
      expect(check('--batch', '8', '--arch', 'resnet-tiny', '--pretrained', file).weights).toBeDefined();
      expect(() => check('--batch', '8', '--pretrained', file)).toThrow(/its body does not fit --arch resnet-s/);
    });

    it('exits 2 with one line before any work (the command itself)', () => {
      const out = join(dir, 'file.txt');
      const r = spawnSync(
        process.execPath,
        ['scripts/run-ts.mjs', 'scripts/train.ts', '--data', pack, '--batch', '0', '--out', out],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        'error: --batch 0: the batch size must be a whole number from 1 to 1024.',
      ]);
      expect(r.stdout).toBe('');
      const r2 = spawnSync(
        process.execPath,
        ['scripts/run-ts.mjs', 'scripts/train.ts', '--data', pack, '--batch', '8', '--epochs', '1', '--out', out],
        { encoding: 'utf8' },
      );
      expect([r2.status, r2.stderr.trim()]).toEqual([
        2,
        `error: --out ${out}: a file is there, not a folder; the model and history go in a folder.`,
      ]);
      expect(readFileSync(out, 'utf8')).toBe('x');
    }, 60_000);
  });
});
