// The prepared pack's manifest: what the site and the Node tools read to find every image in the shards.

export const MANIFEST_VERSION = 1;

export interface PackImage {
  /** Index into `shards`. */
  shard: number;
  offset: number;
  length: number;
  width: number;
  height: number;
  /** Index into `classes`. */
  label: number;
  split: 'train' | 'valid';
  /** The original file name, e.g. "Birman_42.jpg". */
  name: string;
}

export interface PackManifest {
  version: typeof MANIFEST_VERSION;
  dataset: string;
  /** Shorter side of every stored image, in pixels. */
  size: number;
  classes: string[];
  /** Each shard's file and length; `sha256` (hex, packs written since it was added) lets a loader check its bytes. */
  shards: { file: string; bytes: number; sha256?: string }[];
  images: PackImage[];
  created: string;
  source: string;
  split: { kind: 'random' | 'official'; validPct?: number; seed?: number };
}

const isInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/** Checks a parsed manifest.json and returns it typed; throws an Error naming the first problem found. */
export function parseManifest(json: unknown): PackManifest {
  const fail = (why: string): never => {
    throw new Error(`invalid pack manifest: ${why}`);
  };
  if (typeof json !== 'object' || json === null) fail('not an object');
  const m = json as Partial<PackManifest>;
  if (m.version !== MANIFEST_VERSION) fail(`version ${String(m.version)}, expected ${MANIFEST_VERSION}`);
  if (!Array.isArray(m.classes) || m.classes.length === 0) fail('no classes');
  if (!Array.isArray(m.shards) || m.shards.length === 0) fail('no shards');
  if (!Array.isArray(m.images) || m.images.length === 0) fail('no images');
  if (!isInt(m.size) || m.size === 0) fail('size must be a positive integer');
  m.shards!.forEach((s, i) => {
    if (typeof s.file !== 'string' || !/^[\w.-]+$/.test(s.file) || !isInt(s.bytes)) fail(`shard ${i} is malformed`);
    if (s.sha256 !== undefined && (typeof s.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.sha256)))
      fail(`shard ${i} has a malformed sha256`);
  });
  m.images!.forEach((im, i) => {
    const shard = m.shards![im.shard];
    if (!shard) fail(`image ${i} (${im.name}) points to missing shard ${im.shard}`);
    if (!isInt(im.offset) || !isInt(im.length) || im.length === 0 || im.offset + im.length > shard!.bytes) {
      fail(`image ${i} (${im.name}) lies outside its shard`);
    }
    if (!isInt(im.label) || im.label >= m.classes!.length) fail(`image ${i} (${im.name}) has label ${im.label}`);
    if (im.split !== 'train' && im.split !== 'valid') fail(`image ${i} (${im.name}) has split ${String(im.split)}`);
  });
  return m as PackManifest;
}

/** The encoded bytes of image `i`, as a view into its loaded shard (no copy). */
export function imageBytes(manifest: PackManifest, shards: readonly Uint8Array[], i: number): Uint8Array {
  const im = manifest.images[i];
  if (!im) throw new RangeError(`no image ${i} in a pack of ${manifest.images.length}`);
  const shard = shards[im.shard];
  if (!shard) throw new Error(`shard ${im.shard} (${manifest.shards[im.shard]?.file}) is not loaded`);
  return shard.subarray(im.offset, im.offset + im.length);
}

/** Images per class and per split, for reports and the DataBlock demo. */
export function countsOf(manifest: Pick<PackManifest, 'classes' | 'images'>): {
  perClass: Record<string, { train: number; valid: number }>;
  train: number;
  valid: number;
} {
  const perClass: Record<string, { train: number; valid: number }> = {};
  for (const c of manifest.classes) perClass[c] = { train: 0, valid: 0 };
  let train = 0;
  let valid = 0;
  for (const im of manifest.images) {
    perClass[manifest.classes[im.label]!]![im.split]++;
    if (im.split === 'train') train++;
    else valid++;
  }
  return { perClass, train, valid };
}
