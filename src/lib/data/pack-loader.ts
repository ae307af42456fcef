// Loads a prepared pack over HTTP: manifest, then shards, streamed with progress and kept in the Cache API so the
// next chapter (or visit) does not download them again. Runs in a worker, on a page, or in Node (no cache there).
// Every shard is checked before it is cached (its length, and its SHA-256 where the manifest has one), so a bad
// response (cut short, an HTML page served with 200, extra or corrupt bytes) is never kept: it is dropped and fetched
// once more, and a later load heals once the server is fixed. Copies cached for an older manifest are deleted.
import { parseManifest, type PackManifest } from './manifest';

export interface LoadProgress {
  loaded: number;
  total: number;
  /** Bytes that came from the cache rather than the network. */
  cached: number;
}

export interface LoadedPack {
  manifest: PackManifest;
  shards: Uint8Array[];
}

/** What happened while loading, step by step (for a live trace; optional). Times in milliseconds. */
export type LoadStep =
  | { kind: 'manifest'; url: string; bytes: number; ms: number; shards: number; total: number; checksums: boolean }
  | {
      kind: 'shard';
      file: string;
      bytes: number;
      ms: number;
      source: 'network' | 'cache';
      check: 'sha256' | 'length';
      attempt: number;
    }
  | { kind: 'stored'; file: string; bytes: number; ms: number }
  | { kind: 'rejected'; file: string; source: 'network' | 'cache'; reason: string; attempt: number }
  | { kind: 'superseded'; url: string };

export interface LoadOptions {
  /** The CacheStorage to keep shards in; null: none. Default: the global `caches` where there is one. */
  caches?: CacheStorage | null;
  trace?: (step: LoadStep) => void;
}

export class PackLoadError extends Error {}

/** A shard response that must not be used (or cached); the message says what was wrong with it. */
class BadShard extends Error {}

/** The Cache API cache the loader keeps shards in. */
export const PACK_CACHE_NAME = 'pets-packs-v1';
const ATTEMPTS = 2;

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

async function openCache(storage: CacheStorage | null | undefined): Promise<Cache | null> {
  try {
    const s = storage === undefined ? (typeof caches === 'undefined' ? null : caches) : storage;
    return s ? await s.open(PACK_CACHE_NAME) : null;
  } catch {
    return null; // opaque origins and some private modes have no Cache API
  }
}

/** Reads a response body as it arrives (reporting each chunk), refusing more or fewer bytes than `expected`. */
async function readBody(response: Response, expected: number, onBytes: (n: number) => void): Promise<Uint8Array> {
  const type = response.headers.get('content-type') ?? '';
  if (/text\/html/i.test(type)) {
    await response.body?.cancel().catch(() => undefined);
    throw new BadShard(
      `the server sent an HTML page (${type}) instead of the shard (a captive portal or a wrong address?)`,
    );
  }
  if (!response.body) throw new BadShard('the response had no body');
  const out = new Uint8Array(expected);
  let at = 0;
  const reader = response.body.getReader();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new BadShard(`connection closed after ${mb(at)} of ${mb(expected)} MB`);
    }
    if (chunk.done) break;
    const value = chunk.value;
    if (at + value.length > expected) {
      await reader.cancel().catch(() => undefined);
      throw new BadShard(`the server sent more than the ${mb(expected)} MB (${expected} bytes) the manifest lists`);
    }
    out.set(value, at);
    at += value.length;
    onBytes(value.length);
  }
  if (at !== expected) throw new BadShard(`connection closed after ${mb(at)} of ${mb(expected)} MB`);
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle; // missing outside secure contexts: the length check alone remains
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws BadShard when the bytes differ from the manifest's checksum; says which check was made. */
async function verify(bytes: Uint8Array, sha256: string | undefined): Promise<'sha256' | 'length'> {
  if (!sha256) return 'length';
  const got = await sha256Hex(bytes);
  if (got === null) return 'length';
  if (got !== sha256)
    throw new BadShard(`its bytes do not match the manifest's SHA-256 (corrupted on the way or on the server)`);
  return 'sha256';
}

/** Deletes cached shards of this pack (same folder) kept for another manifest stamp (any stamp when `created` is null). */
async function dropSuperseded(
  cache: Cache,
  root: string,
  created: string | null,
  trace?: (s: LoadStep) => void,
): Promise<number> {
  let dropped = 0;
  let rootUrl: URL;
  try {
    rootUrl = new URL(root, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    return 0;
  }
  for (const request of await cache.keys()) {
    const u = new URL(request.url);
    if (u.origin !== rootUrl.origin || !u.pathname.startsWith(rootUrl.pathname)) continue;
    if (!/^[\w.-]+$/.test(u.pathname.slice(rootUrl.pathname.length))) continue; // only this folder's files
    const v = u.searchParams.get('v');
    if (v === null || v === created) continue;
    if (await cache.delete(request)) {
      dropped++;
      trace?.({ kind: 'superseded', url: request.url });
    }
  }
  return dropped;
}

/** Deletes every cached shard of the pack at `base` (so the next load comes from the network); returns how many. */
export async function forgetCachedPack(base: string, storage?: CacheStorage | null): Promise<number> {
  const cache = await openCache(storage);
  if (!cache) return 0;
  return dropSuperseded(cache, base.endsWith('/') ? base : `${base}/`, null);
}

/**
 * Fetches `${base}/manifest.json` and every shard; `onProgress` is called as bytes arrive. `options.trace` hears
 * each step (manifest, each shard and where it came from, rejected responses, cache writes and deletions).
 */
export async function loadPack(
  base: string,
  onProgress?: (p: LoadProgress) => void,
  fetchImpl: typeof fetch = fetch,
  options: LoadOptions = {},
): Promise<LoadedPack> {
  const trace = options.trace;
  const root = base.endsWith('/') ? base : `${base}/`;
  const manifestStart = performance.now();
  let manifestResponse: Response;
  try {
    manifestResponse = await fetchImpl(`${root}manifest.json`, { cache: 'no-cache' });
  } catch (error) {
    throw new PackLoadError(`Could not reach ${root}manifest.json (${(error as Error).message}).`);
  }
  if (!manifestResponse.ok)
    throw new PackLoadError(
      `No data pack at ${root} (HTTP ${manifestResponse.status}). Run npm run data to prepare it.`,
    );
  const manifestText = await manifestResponse.text();
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch {
    throw new PackLoadError(`${root}manifest.json is not JSON (is the pack's address right?).`);
  }
  const manifest = parseManifest(json);
  const total = manifest.shards.reduce((s, x) => s + x.bytes, 0);
  trace?.({
    kind: 'manifest',
    url: `${root}manifest.json`,
    bytes: manifestText.length,
    ms: performance.now() - manifestStart,
    shards: manifest.shards.length,
    total,
    checksums: manifest.shards.every((s) => s.sha256),
  });
  const cache = await openCache(options.caches);
  const progress: LoadProgress = { loaded: 0, total, cached: 0 };
  onProgress?.({ ...progress });
  const count = (n: number, fromCache: boolean) => {
    progress.loaded += n;
    if (fromCache) progress.cached += n;
    onProgress?.({ ...progress });
  };
  // The manifest's creation time keys the cache, so a re-prepared pack is fetched again.
  const version = encodeURIComponent(manifest.created);

  const loadShard = async (s: PackManifest['shards'][number]): Promise<Uint8Array> => {
    const url = `${root}${s.file}?v=${version}`;
    const attempt = async (response: Response, source: 'network' | 'cache', n: number): Promise<Uint8Array> => {
      const started = performance.now();
      let got = 0;
      try {
        const bytes = await readBody(response, s.bytes, (k) => {
          got += k;
          count(k, source === 'cache');
        });
        const check = await verify(bytes, s.sha256);
        trace?.({
          kind: 'shard',
          file: s.file,
          bytes: bytes.length,
          ms: performance.now() - started,
          source,
          check,
          attempt: n,
        });
        return bytes;
      } catch (error) {
        count(-got, source === 'cache'); // those bytes do not count: they will come again
        if (error instanceof BadShard)
          trace?.({ kind: 'rejected', file: s.file, source, reason: error.message, attempt: n });
        throw error;
      }
    };

    const hit = cache ? await cache.match(url).catch(() => undefined) : undefined;
    if (hit) {
      try {
        return await attempt(hit, 'cache', 0);
      } catch (error) {
        if (!(error instanceof BadShard)) throw error;
        await cache!.delete(url).catch(() => false);
      }
    }
    let problem = '';
    for (let n = 1; n <= ATTEMPTS; n++) {
      let response: Response;
      try {
        // The retry skips the HTTP cache, which may hold the same bad response.
        response = n === 1 ? await fetchImpl(url) : await fetchImpl(url, { cache: 'reload' });
      } catch (error) {
        problem = `could not connect (${(error as Error).message})`;
        trace?.({ kind: 'rejected', file: s.file, source: 'network', reason: problem, attempt: n });
        continue;
      }
      if (!response.ok) {
        problem = `HTTP ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
        trace?.({ kind: 'rejected', file: s.file, source: 'network', reason: problem, attempt: n });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await attempt(response, 'network', n);
      } catch (error) {
        if (!(error instanceof BadShard)) throw error;
        problem = error.message;
        continue;
      }
      if (cache) {
        const started = performance.now();
        const stored = new Response(bytes.buffer as ArrayBuffer, {
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
        });
        const ok = await cache.put(url, stored).then(
          () => true,
          () => false,
        ); // a full cache only costs a re-download later
        if (ok) trace?.({ kind: 'stored', file: s.file, bytes: bytes.length, ms: performance.now() - started });
      }
      return bytes;
    }
    throw new PackLoadError(`${s.file}: ${problem} (tried ${ATTEMPTS} times; nothing was cached).`);
  };

  const shards = await Promise.all(manifest.shards.map(loadShard));
  if (cache) await dropSuperseded(cache, root, manifest.created, trace).catch(() => undefined);
  return { manifest, shards };
}
