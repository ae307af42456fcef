// Loading a pack over HTTP from a local server: progress, byte-exact shards, clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { loadPack, PackLoadError, type LoadProgress } from './pack-loader';
import type { PackManifest } from './manifest';

const shardA = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
const shardB = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 7) % 253);
const manifest: PackManifest = {
  version: 1,
  dataset: 'pets',
  size: 8,
  classes: ['A'],
  created: 't1',
  source: 'test',
  split: { kind: 'official' },
  shards: [
    { file: 'shard-000.bin', bytes: shardA.length },
    { file: 'shard-001.bin', bytes: shardB.length },
  ],
  images: [{ shard: 0, offset: 0, length: 10, width: 8, height: 8, label: 0, split: 'train', name: 'A_1.jpg' }],
};
let server: Server;
let base = '';
let truncate = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/pack/manifest.json') res.end(JSON.stringify(manifest));
    else if (path === '/pack/shard-000.bin') res.end(truncate ? shardA.subarray(0, 100) : shardA);
    else if (path === '/pack/shard-001.bin') res.end(shardB);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => server.close());

describe('loadPack', () => {
  it('loads the manifest and every shard byte for byte, reporting progress up to the total', async () => {
    const seen: LoadProgress[] = [];
    const pack = await loadPack(`${base}/pack`, (p) => seen.push(p));
    expect(pack.manifest.classes).toEqual(['A']);
    expect(pack.shards[0]).toEqual(shardA);
    expect(pack.shards[1]).toEqual(shardB);
    expect(seen[0]).toEqual({ loaded: 0, total: 100_000, cached: 0 });
    expect(seen.at(-1)!.loaded).toBe(100_000);
  });
  it('says where the pack is missing', async () => {
    await expect(loadPack(`${base}/nothing/`)).rejects.toThrow(/No data pack at .*\/nothing\/ \(HTTP 404\)/);
  });
  it('refuses a shard shorter than its manifest says', async () => {
    truncate = true;
    await expect(loadPack(`${base}/pack`)).rejects.toThrow(PackLoadError);
    truncate = false;
  });
});
