// The loader's Cache API use, with a fake fetch and a fake CacheStorage: a bad shard response (cut short, an HTML
// page served with 200, extra bytes, corrupt bytes) is never cached, is fetched once more, and heals once the server
// is fixed; superseded copies are deleted; progress counts bytes as they arrive; a cut names the shard.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { loadPack, type LoadProgress, type LoadStep } from './pack-loader';
import type { PackManifest } from './manifest';

const BASE = 'http://site.test/data/pets/';
type Mode = 'good' | 'short' | 'html' | 'extra' | 'corrupt' | 'cut' | 'down';

class FakeCache {
  entries = new Map<string, Uint8Array>();
  private key = (r: RequestInfo | URL) => (typeof r === 'string' || r instanceof URL ? new URL(String(r)).href : r.url);
  async match(r: RequestInfo | URL): Promise<Response | undefined> {
    const body = this.entries.get(this.key(r));
    return body ? new Response(body.slice(), { headers: { 'content-type': 'application/octet-stream' } }) : undefined;
  }
  async put(r: RequestInfo | URL, response: Response): Promise<void> {
    this.entries.set(this.key(r), new Uint8Array(await response.arrayBuffer())); // drains the body, as the real one does
  }
  async delete(r: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(this.key(r));
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((u) => new Request(u));
  }
}

class FakeCacheStorage {
  readonly cache = new FakeCache();
  async open(): Promise<FakeCache> {
    return this.cache;
  }
}

function bytesOf(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * seed + 13) % 251);
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function makePack(sizes: number[], { checksums = true, created = 'stamp-2' } = {}) {
  const shards = sizes.map((n, i) => bytesOf(n, i + 3));
  const manifest: PackManifest = {
    version: 1,
    dataset: 'pets',
    size: 8,
    classes: ['A'],
    created,
    source: 'test',
    split: { kind: 'official' },
    shards: shards.map((b, i) => ({
      file: `shard-00${i}.bin`,
      bytes: b.length,
      ...(checksums ? { sha256: sha(b) } : {}),
    })),
    images: [{ shard: 0, offset: 0, length: 10, width: 8, height: 8, label: 0, split: 'train', name: 'A_1.jpg' }],
  };
  return { manifest, shards };
}

/** A server for one pack; `mode[file]` says how each shard is (mis)served; `log` lists shard requests. */
function fakeServer(pack: ReturnType<typeof makePack>) {
  const mode: Record<string, Mode> = {};
  const log: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const file = url.pathname.split('/').pop()!;
    if (file === 'manifest.json')
      return new Response(JSON.stringify(pack.manifest), { headers: { 'content-type': 'application/json' } });
    const i = pack.manifest.shards.findIndex((s) => s.file === file);
    if (i < 0) return new Response('not found', { status: 404 });
    log.push(file);
    const good = pack.shards[i]!;
    const m = mode[file] ?? 'good';
    const bin = { 'content-type': 'application/octet-stream' };
    if (m === 'down') throw new TypeError('fetch failed');
    if (m === 'short') return new Response(good.slice(0, good.length - 100), { headers: bin });
    if (m === 'extra') return new Response(new Uint8Array([...good, 1, 2, 3]), { headers: bin });
    if (m === 'corrupt') {
      const bad = good.slice();
      bad[bad.length >> 1] = bad[bad.length >> 1]! ^ 0xff;
      return new Response(bad, { headers: bin });
    }
    if (m === 'html')
      return new Response('<!doctype html><title>Sign in to the Wi-Fi</title>'.padEnd(good.length, ' '), {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    if (m === 'cut') {
      const cutAt = Math.round(1.2 * 1048576);
      let sent = false;
      return new Response(
        new ReadableStream<Uint8Array>(
          {
            pull(c) {
              if (sent) return c.error(new TypeError('network error')); // after the first chunk has been read
              c.enqueue(good.slice(0, cutAt));
              sent = true;
            },
          },
          { highWaterMark: 0 },
        ),
        { headers: bin },
      );
    }
    return new Response(good.slice(), { headers: bin });
  }) as typeof fetch;
  return { mode, log, fetchImpl };
}

let storage: FakeCacheStorage;
beforeEach(() => {
  storage = new FakeCacheStorage();
  vi.stubGlobal('caches', storage);
});
afterEach(() => vi.unstubAllGlobals());

const cachedShard = (file: string) => [...storage.cache.entries].find(([u]) => u.includes(`/${file}?`))?.[1];

describe('a bad shard response is never cached, and heals once the server is fixed', () => {
  for (const mode of ['short', 'html', 'extra', 'corrupt'] as const) {
    it(`${mode}: refused (after one retry), not cached, loaded once the server is fixed`, async () => {
      const pack = makePack([40_000, 20_000]);
      const server = fakeServer(pack);
      server.mode['shard-000.bin'] = mode;
      await expect(loadPack(BASE, undefined, server.fetchImpl)).rejects.toThrow(/^shard-000\.bin: .*tried 2 times/);
      expect(server.log.filter((f) => f === 'shard-000.bin')).toHaveLength(2);
      expect(cachedShard('shard-000.bin')).toBeUndefined();

      server.mode['shard-000.bin'] = 'good';
      const loaded = await loadPack(BASE, undefined, server.fetchImpl);
      expect(loaded.shards[0]).toEqual(pack.shards[0]);
      expect(cachedShard('shard-000.bin')).toEqual(pack.shards[0]);
    });
  }

  it('names what was wrong: an HTML page, extra bytes, corrupt bytes', async () => {
    const pack = makePack([40_000]);
    const server = fakeServer(pack);
    const reasons: Record<string, RegExp> = {
      html: /shard-000\.bin: the server sent an HTML page \(text\/html; charset=utf-8\) instead of the shard/,
      extra: /shard-000\.bin: the server sent more than the 0\.0 MB \(40000 bytes\) the manifest lists/,
      corrupt: /shard-000\.bin: its bytes do not match the manifest's SHA-256/,
      short: /shard-000\.bin: connection closed after 0\.0 of 0\.0 MB/,
    };
    for (const [mode, message] of Object.entries(reasons)) {
      server.mode['shard-000.bin'] = mode as Mode;
      await expect(loadPack(BASE, undefined, server.fetchImpl)).rejects.toThrow(message);
    }
  });

  it('a cut mid-shard names the file and how far it got', async () => {
    const pack = makePack([Math.round(5.3 * 1048576)]);
    const server = fakeServer(pack);
    server.mode['shard-000.bin'] = 'cut';
    await expect(loadPack(BASE, undefined, server.fetchImpl)).rejects.toThrow(
      'shard-000.bin: connection closed after 1.2 of 5.3 MB',
    );
    expect(cachedShard('shard-000.bin')).toBeUndefined();
  });

  it('retries once: one bad response, then a good one, loads in the same call and caches the good bytes', async () => {
    const pack = makePack([40_000, 20_000]);
    const server = fakeServer(pack);
    server.mode['shard-001.bin'] = 'short';
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const r = await server.fetchImpl(input, init);
      if (String(input).includes('shard-001')) server.mode['shard-001.bin'] = 'good'; // the server recovers
      return r;
    }) as typeof fetch;
    const steps: LoadStep[] = [];
    const seen: LoadProgress[] = [];
    const loaded = await loadPack(BASE, (p) => seen.push(p), fetchImpl, { trace: (s) => steps.push(s) });
    expect(loaded.shards[1]).toEqual(pack.shards[1]);
    expect(cachedShard('shard-001.bin')).toEqual(pack.shards[1]);
    expect(steps.filter((s) => s.kind === 'rejected').map((s) => s.kind === 'rejected' && [s.file, s.attempt])).toEqual(
      [['shard-001.bin', 1]],
    );
    expect(seen.at(-1)).toEqual({ loaded: 60_000, total: 60_000, cached: 0 });
    expect(Math.max(...seen.map((p) => p.loaded))).toBe(60_000); // the refused bytes are taken back
  });

  it('a network failure is retried too', async () => {
    const pack = makePack([1000]);
    const server = fakeServer(pack);
    server.mode['shard-000.bin'] = 'down';
    await expect(loadPack(BASE, undefined, server.fetchImpl)).rejects.toThrow(
      /shard-000\.bin: could not connect \(fetch failed\) \(tried 2 times/,
    );
    expect(server.log).toHaveLength(2);
  });

  it('a bad copy already in the cache (as the old loader left one) is dropped and fetched again', async () => {
    const pack = makePack([40_000]);
    const server = fakeServer(pack);
    storage.cache.entries.set(`${BASE}shard-000.bin?v=stamp-2`, pack.shards[0]!.slice(0, 100));
    const steps: LoadStep[] = [];
    const loaded = await loadPack(BASE, undefined, server.fetchImpl, { trace: (s) => steps.push(s) });
    expect(loaded.shards[0]).toEqual(pack.shards[0]);
    expect(cachedShard('shard-000.bin')).toEqual(pack.shards[0]);
    expect(steps.find((s) => s.kind === 'rejected')).toMatchObject({
      source: 'cache',
      reason: 'connection closed after 0.0 of 0.0 MB',
    });
    expect(server.log).toEqual(['shard-000.bin']);
  });

  it('a corrupt copy in the cache, of the same length, is caught by the checksum', async () => {
    const pack = makePack([40_000]);
    const server = fakeServer(pack);
    const bad = pack.shards[0]!.slice();
    bad[7] = bad[7]! ^ 1;
    storage.cache.entries.set(`${BASE}shard-000.bin?v=stamp-2`, bad);
    const loaded = await loadPack(BASE, undefined, server.fetchImpl);
    expect(loaded.shards[0]).toEqual(pack.shards[0]);
    expect(cachedShard('shard-000.bin')).toEqual(pack.shards[0]);
  });
});

describe('the cache', () => {
  it('serves the second load without the network, counting those bytes as cached', async () => {
    const pack = makePack([40_000, 20_000]);
    const server = fakeServer(pack);
    await loadPack(BASE, undefined, server.fetchImpl);
    server.log.length = 0;
    const seen: LoadProgress[] = [];
    const steps: LoadStep[] = [];
    const loaded = await loadPack(BASE, (p) => seen.push(p), server.fetchImpl, { trace: (s) => steps.push(s) });
    expect(loaded.shards).toEqual(pack.shards);
    expect(server.log).toEqual([]);
    expect(seen.at(-1)).toEqual({ loaded: 60_000, total: 60_000, cached: 60_000 });
    // Shards load side by side, so their steps arrive in either order.
    expect(
      steps
        .filter((s) => s.kind === 'shard')
        .map((s) => s.kind === 'shard' && [s.file, s.source, s.check])
        .sort(),
    ).toEqual([
      ['shard-000.bin', 'cache', 'sha256'],
      ['shard-001.bin', 'cache', 'sha256'],
    ]);
  });

  it('loads an old manifest without checksums, checking lengths only', async () => {
    const pack = makePack([40_000], { checksums: false });
    const server = fakeServer(pack);
    const steps: LoadStep[] = [];
    const loaded = await loadPack(BASE, undefined, server.fetchImpl, { trace: (s) => steps.push(s) });
    expect(loaded.shards[0]).toEqual(pack.shards[0]);
    expect(steps.find((s) => s.kind === 'shard')).toMatchObject({ check: 'length', source: 'network' });
    server.mode['shard-000.bin'] = 'short';
    storage.cache.entries.clear();
    await expect(loadPack(BASE, undefined, server.fetchImpl)).rejects.toThrow(/shard-000\.bin: connection closed/);
  });

  it('deletes copies cached for other manifest stamps of this pack, and nothing else', async () => {
    const pack = makePack([1000]);
    const server = fakeServer(pack);
    const keep = [
      'http://site.test/data/imagenette/shard-000.bin?v=stamp-1',
      'http://site.test/data/pets/small/shard-000.bin?v=stamp-1',
      'http://other.test/data/pets/shard-000.bin?v=stamp-1',
    ];
    for (const u of [`${BASE}shard-000.bin?v=stamp-0`, `${BASE}shard-003.bin?v=stamp-1`, ...keep])
      storage.cache.entries.set(u, new Uint8Array(5));
    await loadPack(BASE, undefined, server.fetchImpl);
    expect([...storage.cache.entries.keys()].sort()).toEqual([`${BASE}shard-000.bin?v=stamp-2`, ...keep].sort());
  });

  it('works without a Cache API', async () => {
    const pack = makePack([1000]);
    const server = fakeServer(pack);
    const loaded = await loadPack(BASE, undefined, server.fetchImpl, { caches: null });
    expect(loaded.shards[0]).toEqual(pack.shards[0]);
    expect(storage.cache.entries.size).toBe(0);
  });
});

describe('progress', () => {
  it('counts bytes as they arrive, before the shard has finished downloading', async () => {
    const pack = makePack([300_000]);
    const server = fakeServer(pack);
    let stalled = false;
    let reportedEarly!: () => void;
    const early = new Promise<void>((ok) => (reportedEarly = ok));
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).includes('shard-000')) return server.fetchImpl(input, init);
      const good = pack.shards[0]!;
      let sent = 0;
      return new Response(
        new ReadableStream<Uint8Array>(
          {
            async pull(c) {
              if (sent > 0 && sent < good.length) {
                // Wait for the loader to report the first chunk (or give up after a second: it reports only at the end).
                stalled = await Promise.race([
                  early.then(() => false),
                  new Promise<boolean>((ok) => setTimeout(() => ok(true), 1000)),
                ]);
              }
              if (sent >= good.length) return c.close();
              c.enqueue(good.slice(sent, sent + 100_000));
              sent += 100_000;
            },
          },
          { highWaterMark: 0 },
        ),
        { headers: { 'content-type': 'application/octet-stream' } },
      );
    }) as typeof fetch;
    const seen: number[] = [];
    await loadPack(
      BASE,
      (p) => {
        seen.push(p.loaded);
        if (p.loaded > 0 && p.loaded < p.total) reportedEarly();
      },
      fetchImpl,
    );
    expect(stalled).toBe(false);
    expect(seen).toEqual([0, 100_000, 200_000, 300_000]);
  });
});
