// Loads a prepared pack over HTTP: manifest, then shards, streamed with progress and kept in the Cache API so the
// next chapter (or visit) does not download them again. Runs in a worker, on a page, or in Node (no cache there).
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

export class PackLoadError extends Error {}

const CACHE_NAME = 'pets-packs-v1';

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null; // opaque origins and some private modes have no Cache API
  }
}

async function readBody(response: Response, expected: number, onBytes: (n: number) => void): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let at = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > expected) throw new PackLoadError(`${response.url} is larger than the manifest says (${expected} bytes)`);
    out.set(value, at);
    at += value.length;
    onBytes(value.length);
  }
  if (at !== expected) throw new PackLoadError(`${response.url} ended after ${at} of ${expected} bytes`);
  return out;
}

/** Fetches `${base}/manifest.json` and every shard; `onProgress` is called as bytes arrive. */
export async function loadPack(base: string, onProgress?: (p: LoadProgress) => void, fetchImpl: typeof fetch = fetch): Promise<LoadedPack> {
  const root = base.endsWith('/') ? base : `${base}/`;
  let manifestResponse: Response;
  try {
    manifestResponse = await fetchImpl(`${root}manifest.json`, { cache: 'no-cache' });
  } catch (error) {
    throw new PackLoadError(`Could not reach ${root}manifest.json (${(error as Error).message}).`);
  }
  if (!manifestResponse.ok) throw new PackLoadError(`No data pack at ${root} (HTTP ${manifestResponse.status}). Run npm run data to prepare it.`);
  const manifest = parseManifest(await manifestResponse.json());
  const cache = await openCache();
  const total = manifest.shards.reduce((s, x) => s + x.bytes, 0);
  const progress: LoadProgress = { loaded: 0, total, cached: 0 };
  onProgress?.({ ...progress });
  // The manifest's creation time keys the cache, so a re-prepared pack is fetched again.
  const version = encodeURIComponent(manifest.created);
  const shards = await Promise.all(
    manifest.shards.map(async (s) => {
      const url = `${root}${s.file}?v=${version}`;
      let response = (await cache?.match(url)) ?? null;
      const fromCache = response !== null;
      if (!response) {
        try {
          response = await fetchImpl(url);
        } catch (error) {
          throw new PackLoadError(`Could not download ${s.file} (${(error as Error).message}).`);
        }
        if (!response.ok) throw new PackLoadError(`Could not download ${s.file}: HTTP ${response.status}.`);
        if (cache) {
          await cache.put(url, response.clone()).catch(() => undefined); // a full cache only costs a re-download later
        }
      }
      return readBody(response, s.bytes, (n) => {
        progress.loaded += n;
        if (fromCache) progress.cached += n;
        onProgress?.({ ...progress });
      });
    }),
  );
  return { manifest, shards };
}
