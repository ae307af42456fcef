// Pack preparation end to end on generated fixtures: every kind of bad input, the report, the round trip, atomicity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { preparePack, formatReport, PrepareError } from './prepare';
import { parseManifest, imageBytes } from '../../src/lib/data/manifest';
import { PackWriter } from './pack-writer';

let dir: string;
const base = {
  size: 32,
  split: 'random' as const,
  validPct: 0.2,
  seed: 42,
  source: 'fixture',
  progress: false,
  log: () => {},
};

async function jpeg(w: number, h: number, colour: [number, number, number]): Promise<Buffer> {
  return sharp({
    create: { width: w, height: h, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } },
  })
    .jpeg()
    .toBuffer();
}

async function makeDataset(root: string): Promise<void> {
  const images = join(root, 'images');
  mkdirSync(images, { recursive: true });
  mkdirSync(join(root, 'annotations'), { recursive: true });
  const good: string[] = [];
  for (let i = 1; i <= 5; i++) {
    for (const breed of ['Birman', 'pug']) {
      const name = `${breed}_${i}.jpg`;
      writeFileSync(join(images, name), await jpeg(60 + i * 7, 48, breed === 'pug' ? [200, 150, 90] : [240, 240, 250]));
      good.push(name);
    }
  }
  const full = await jpeg(80, 64, [10, 120, 200]);
  writeFileSync(join(images, 'Birman_90.jpg'), full.subarray(0, Math.floor(full.length / 2))); // truncated
  writeFileSync(join(images, 'Birman_91.jpg'), Buffer.alloc(0)); // zero bytes
  writeFileSync(join(images, 'Birman_92.jpg'), Buffer.from('this is not a picture at all, just text'));
  writeFileSync(join(images, 'Abyssinian_100.mat'), Buffer.from([0x4d, 0x41, 0x54, 0x4c, 0x41, 0x42])); // non-image file
  writeFileSync(join(images, 'birman-cat.jpg'), await jpeg(40, 40, [1, 2, 3])); // name the regex does not match
  writeFileSync(
    join(images, 'pug_60.jpg'),
    await sharp({ create: { width: 50, height: 40, channels: 3, background: '#808080' } })
      .toColourspace('b-w')
      .jpeg()
      .toBuffer(),
  );
  writeFileSync(
    join(images, 'pug_61.jpg'),
    await sharp({ create: { width: 50, height: 40, channels: 3, background: '#a05020' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer(),
  );
  writeFileSync(
    join(images, 'pug_62.jpg'),
    await sharp({ create: { width: 50, height: 40, channels: 4, background: { r: 9, g: 99, b: 199, alpha: 0.5 } } })
      .png()
      .toBuffer(),
  );
  const listed = [...good, 'pug_60.jpg', 'pug_61.jpg', 'pug_62.jpg', 'Birman_90.jpg', 'pug_77.jpg'].map(
    (n) => `${n.replace('.jpg', '')} 1 1 1`,
  );
  writeFileSync(join(root, 'annotations', 'list.txt'), `#Image CLASS-ID SPECIES BREED ID\n${listed.join('\n')}\n`);
  writeFileSync(
    join(root, 'annotations', 'trainval.txt'),
    `${good
      .slice(0, 8)
      .map((n) => n.replace('.jpg', ' 1 1 1'))
      .join('\n')}\npug_60 1 1 1\n`,
  );
  writeFileSync(
    join(root, 'annotations', 'test.txt'),
    `${good
      .slice(8)
      .map((n) => n.replace('.jpg', ' 1 1 1'))
      .join('\n')}\npug_61 1 1 1\npug_62 1 1 1\n`,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pack-test-'));
  await makeDataset(join(dir, 'src'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('preparePack', () => {
  it('skips each bad input with its reason, converts what can be converted, and reports', async () => {
    const lines: string[] = [];
    const r = await preparePack({
      ...base,
      dataset: 'pets',
      root: join(dir, 'src'),
      out: join(dir, 'out'),
      log: (l) => lines.push(l),
    });
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.name, s.reason]));
    expect(reasons).toEqual({
      'Birman_90.jpg': 'corrupt or truncated image',
      'Birman_91.jpg': 'empty file',
      'Birman_92.jpg': 'not an image',
      'Abyssinian_100.mat': 'not an image',
      'birman-cat.jpg': 'name does not match the label pattern',
      'pug_77.jpg': 'listed in the annotations but missing',
    });
    // one warning line per skipped file, naming it
    for (const name of Object.keys(reasons)) expect(lines.filter((l) => l.includes(name))).toHaveLength(1);
    expect(r.converted).toEqual([
      { name: 'pug_60.jpg', note: 'greyscale converted to RGB' },
      { name: 'pug_61.jpg', note: 'CMYK converted to RGB' },
      { name: 'pug_62.jpg', note: 'PNG data behind a .jpg name' },
    ]);
    const m = r.manifest;
    expect(m.classes).toEqual(['Birman', 'pug']);
    expect(m.images).toHaveLength(13);
    expect(m.images.filter((im) => im.split === 'valid')).toHaveLength(2); // floor(0.2 * 13)
    for (const im of m.images) expect(Math.min(im.width, im.height)).toBe(32);
    const text = formatReport(r);
    expect(text).toMatch(/corrupt or truncated image: 1/);
    expect(text).toMatch(/not an image: 2/);
    expect(text).toMatch(/converted: 3/);
    expect(text).toMatch(/total\s+11\s+2/);
  });

  it('stores RGB JPEGs that decode again, and the pack reads back byte for byte', async () => {
    const out = join(dir, 'out');
    const m = parseManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    const shards = m.shards.map((s) => new Uint8Array(readFileSync(join(out, s.file))));
    for (let i = 0; i < m.images.length; i++) {
      const bytes = imageBytes(m, shards, i);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.channels).toBe(3);
      expect([meta.width, meta.height]).toEqual([m.images[i]!.width, m.images[i]!.height]);
    }
  });

  it('uses the official lists for --split official', async () => {
    const r = await preparePack({
      ...base,
      dataset: 'pets',
      split: 'official',
      root: join(dir, 'src'),
      out: join(dir, 'official'),
    });
    const valid = r.manifest.images
      .filter((im) => im.split === 'valid')
      .map((im) => im.name)
      .sort();
    expect(valid).toEqual(['Birman_5.jpg', 'pug_5.jpg', 'pug_61.jpg', 'pug_62.jpg']);
  });

  it('refuses when a class ends empty, and leaves the previous pack as it was', async () => {
    const root = join(dir, 'one-bad-class');
    mkdirSync(join(root, 'images'), { recursive: true });
    writeFileSync(join(root, 'images', 'pug_1.jpg'), await jpeg(40, 40, [1, 1, 1]));
    writeFileSync(join(root, 'images', 'Birman_1.jpg'), Buffer.alloc(0));
    const out = join(dir, 'out');
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    await expect(preparePack({ ...base, dataset: 'pets', root, out })).rejects.toThrow(
      /Class left without any usable image: Birman/,
    );
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses when nothing usable remains', async () => {
    const root = join(dir, 'nothing');
    mkdirSync(join(root, 'images'), { recursive: true });
    writeFileSync(join(root, 'images', 'notes.txt'), 'hello');
    await expect(preparePack({ ...base, dataset: 'pets', root, out: join(dir, 'none') })).rejects.toThrow(PrepareError);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('labels Imagenette from folders with names from classes.txt and its own train/val split', async () => {
    const root = join(dir, 'imagenette');
    for (const [folder, wnid] of [
      ['train', 'n01440764'],
      ['train', 'n02102040'],
      ['val', 'n01440764'],
      ['val', 'n02102040'],
    ]) {
      mkdirSync(join(root, folder!, wnid!), { recursive: true });
      writeFileSync(join(root, folder!, wnid!, `${wnid}_1.JPEG`), await jpeg(48, 40, [5, 50, 150]));
    }
    writeFileSync(join(root, 'classes.txt'), 'n01440764 tench\nn02102040 English springer\n');
    const r = await preparePack({ ...base, dataset: 'imagenette', split: 'official', root, out: join(dir, 'inette') });
    expect(r.manifest.classes).toEqual(['English springer', 'tench']);
    expect(r.manifest.images.map((im) => im.split)).toEqual(['train', 'train', 'valid', 'valid']);
  });
});

describe('PackWriter', () => {
  it('starts a new shard before one would pass the limit', () => {
    const w = new PackWriter(join(dir, 'small-shards'), 10);
    w.add(new Uint8Array(6).fill(1), { width: 1, height: 1, label: 0, split: 'train', name: 'a' });
    w.add(new Uint8Array(6).fill(2), { width: 1, height: 1, label: 0, split: 'train', name: 'b' });
    w.add(new Uint8Array(3).fill(3), { width: 1, height: 1, label: 0, split: 'valid', name: 'c' });
    const m = w.finish({ dataset: 'pets', size: 1, classes: ['x'], source: 't', split: { kind: 'official' } });
    expect(m.shards.map((s) => s.bytes)).toEqual([6, 9]);
    // Round trip: what was written reads back byte for byte.
    const read = parseManifest(JSON.parse(readFileSync(join(dir, 'small-shards', 'manifest.json'), 'utf8')));
    const shards = read.shards.map((s) => new Uint8Array(readFileSync(join(dir, 'small-shards', s.file))));
    expect([...imageBytes(read, shards, 0)]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...imageBytes(read, shards, 1)]).toEqual([2, 2, 2, 2, 2, 2]);
    expect([...imageBytes(read, shards, 2)]).toEqual([3, 3, 3]);
    expect(m.images.map((im) => [im.shard, im.offset])).toEqual([
      [0, 0],
      [1, 0],
      [1, 6],
    ]);
    expect(() =>
      new PackWriter(join(dir, 'x'), 4).add(new Uint8Array(5), {
        width: 1,
        height: 1,
        label: 0,
        split: 'train',
        name: 'big',
      }),
    ).toThrow(/larger than a shard/);
  });
});
