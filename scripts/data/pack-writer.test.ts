// The pack writer never deletes what it did not write: it replaces only a previous pack, refuses anything else with
// one line, and leaves no temp folder behind, also when interrupted (SIGINT, SIGTERM) or after a run that was killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { preparePack } from './prepare';
import { PackWriter } from './pack-writer';
import { OutputRefused } from './output-check';
import { cleanStaleTemps } from './temp-folders';
import { parseManifest } from '../../src/lib/data/manifest';

let dir: string;
let source: string;
const base = {
  dataset: 'pets' as const,
  size: 32,
  split: 'random' as const,
  validPct: 0.2,
  seed: 42,
  source: 'fixture',
  progress: false,
  log: () => {},
};
const meta = { width: 1, height: 1, label: 0, split: 'train' as const, name: 'a' };
const info = { dataset: 'pets', size: 1, classes: ['x'], source: 't', split: { kind: 'official' as const } };
const temps = (parent: string) => readdirSync(parent).filter((n) => n.includes('.tmp'));
/** A pid that belonged to a process which has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pack-writer-test-'));
  source = join(dir, 'src');
  mkdirSync(join(source, 'images'), { recursive: true });
  for (const name of ['Birman_1.jpg', 'Birman_2.jpg', 'pug_1.jpg', 'pug_2.jpg', 'pug_3.jpg']) {
    writeFileSync(
      join(source, 'images', name),
      await sharp({ create: { width: 40, height: 36, channels: 3, background: '#a06030' } })
        .jpeg()
        .toBuffer(),
    );
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--out safety', () => {
  it('refuses a folder holding other files, and keeps them', async () => {
    const out = join(dir, 'd');
    mkdirSync(out);
    writeFileSync(join(out, 'x'), 'mine');
    await expect(preparePack({ ...base, root: source, out })).rejects.toThrow(
      /--out .*d is a folder holding other files \(x\), not a pack; refusing/,
    );
    expect(readdirSync(out)).toEqual(['x']);
    expect(readFileSync(join(out, 'x'), 'utf8')).toBe('mine');
    expect(temps(dir)).toEqual([]);
  });

  it('refuses a folder like public/ (assets, a subfolder), before writing anything', async () => {
    const out = join(dir, 'public');
    mkdirSync(join(out, 'models'), { recursive: true });
    writeFileSync(join(out, 'favicon.svg'), '<svg/>');
    writeFileSync(join(out, 'models', 'body.petw'), 'weights');
    expect(() => new PackWriter(out)).toThrow(OutputRefused);
    expect(readdirSync(out).sort()).toEqual(['favicon.svg', 'models']);
    expect(readFileSync(join(out, 'models', 'body.petw'), 'utf8')).toBe('weights');
    expect(temps(dir)).toEqual([]);
  });

  it('refuses a plain file, and leaves it as it was', async () => {
    const out = join(dir, 'plain.txt');
    writeFileSync(out, 'notes');
    await expect(preparePack({ ...base, root: source, out })).rejects.toThrow(
      /is a file, not a pack folder; refusing to replace it/,
    );
    expect(readFileSync(out, 'utf8')).toBe('notes');
  });

  it('refuses a pack folder someone added files to, and keeps them', async () => {
    const out = join(dir, 'pack-plus');
    await preparePack({ ...base, root: source, out });
    writeFileSync(join(out, 'README.txt'), 'my notes');
    await expect(preparePack({ ...base, root: source, out })).rejects.toThrow(
      /holds a pack but also other files \(README\.txt\)/,
    );
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toBe('my notes');
  });

  it('refuses a folder whose manifest.json is not a pack manifest', async () => {
    const out = join(dir, 'other-manifest');
    mkdirSync(out);
    writeFileSync(join(out, 'manifest.json'), '{"name":"a web app"}');
    await expect(preparePack({ ...base, root: source, out })).rejects.toThrow(
      /has a manifest.json that is not a pack's/,
    );
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe('{"name":"a web app"}');
  });

  it('replaces a previous pack (and an empty folder), leaving no temp folder', async () => {
    const out = join(dir, 'again');
    mkdirSync(out);
    const first = await preparePack({ ...base, root: source, out });
    await new Promise((ok) => setTimeout(ok, 5));
    const second = await preparePack({ ...base, root: source, out });
    expect(second.manifest.created).not.toBe(first.manifest.created);
    expect(parseManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).created).toBe(
      second.manifest.created,
    );
    expect(temps(dir)).toEqual([]);
  });

  it("writes each shard's SHA-256 in the manifest", () => {
    const out = join(dir, 'hashed');
    const w = new PackWriter(out, 10);
    w.add(new Uint8Array(6).fill(1), meta);
    w.add(new Uint8Array(6).fill(2), meta);
    const m = w.finish(info);
    expect(m.shards).toHaveLength(2);
    for (const s of m.shards)
      expect(s.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(join(out, s.file)))
          .digest('hex'),
      );
  });
});

describe('temp folders', () => {
  it('removes the temp folders of writers that died, and only those', () => {
    const parent = join(dir, 'stale');
    mkdirSync(parent);
    const dead = deadPid();
    const mk = (name: string) => {
      mkdirSync(join(parent, name));
      writeFileSync(join(parent, name, 'shard-000.bin'), 'x');
    };
    mk(`.pets.${dead}.1700000000000.tmp`);
    mk(`.pets.${process.ppid}.1700000000001.tmp`); // a live process: another run, still writing
    mk(`.other.${dead}.1700000000002.tmp`); // another output's
    mk('.pets.backup.tmp'); // not our pattern
    writeFileSync(join(parent, 'keep.txt'), 'x');
    const w = new PackWriter(join(parent, 'pets'));
    w.abort();
    expect(readdirSync(parent).sort()).toEqual(
      [
        `.other.${dead}.1700000000002.tmp`,
        '.pets.backup.tmp',
        `.pets.${process.ppid}.1700000000001.tmp`,
        'keep.txt',
      ].sort(),
    );
  });

  it('puts back a previous pack a killed run had moved aside', () => {
    const parent = join(dir, 'aside');
    const w = new PackWriter(join(parent, 'pets'));
    w.add(new Uint8Array(3), meta);
    w.finish(info);
    const aside = join(parent, `.pets.${deadPid()}.1700000000000.tmp.old`);
    spawnSync('mv', [join(parent, 'pets'), aside]);
    expect(cleanStaleTemps(join(parent, 'pets'))).toHaveLength(1);
    expect(readdirSync(join(parent, 'pets')).sort()).toEqual(['manifest.json', 'shard-000.bin']);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`removes its temp folder when ${signal} interrupts a write`, async () => {
      const parent = join(dir, `signal-${signal}`);
      const script = join(dir, `child-${signal}.ts`);
      writeFileSync(
        script,
        [
          `import { PackWriter } from ${JSON.stringify(resolve('scripts/data/pack-writer.ts'))};`,
          `const w = new PackWriter(${JSON.stringify(join(parent, 'pets'))});`,
          'w.add(new Uint8Array(1000), { width: 1, height: 1, label: 0, split: "train", name: "a" });',
          'console.log(w.tmp);',
          'setInterval(() => {}, 1000);',
        ].join('\n'),
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const tmp = await new Promise<string>((ok) => child.stdout.once('data', (b: Buffer) => ok(b.toString().trim())));
      expect(existsSync(join(tmp, 'shard-000.bin'))).toBe(true);
      const ended = new Promise<NodeJS.Signals | null>((ok) => child.once('exit', (_code, sig) => ok(sig)));
      child.kill(signal);
      expect(await ended).toBe(signal);
      expect(existsSync(tmp)).toBe(false);
      expect(readdirSync(parent)).toEqual([]);
    }, 30_000);
  }
});

describe('npm run data', () => {
  it('refuses --out <file> with one line and a non-zero exit, before reading the source', () => {
    const out = join(dir, 'target.txt');
    writeFileSync(out, 'keep me');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/prepare-data.ts', '--source', join(dir, 'no-such-source'), '--out', out],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: --out ${out} is a file, not a pack folder; refusing to replace it: choose a new folder, or a folder holding only a pack written by npm run data.`,
    ]);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  }, 30_000);
});
