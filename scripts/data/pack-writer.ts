// Writes a pack: images appended to binary shards (each under the size limit, each with its SHA-256) and
// manifest.json, in a temp folder that takes the output's place only when everything is written, so a reader never
// sees half a pack. Only a previous pack (or nothing, or an empty folder) is ever replaced: see output-check.ts.
// The temp folder is removed on failure, on exit and on SIGINT/SIGTERM; ones left by a killed run are cleaned next time.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, rmdirSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_VERSION, type PackImage, type PackManifest } from '../../src/lib/data/manifest';
import { checkOutput } from './output-check';
import { cleanStaleTemps, holdTemp, releaseTemp, tempPathFor } from './temp-folders';

export const SHARD_LIMIT = 7.5 * 1024 * 1024;

export class PackWriter {
  readonly tmp: string;
  private shards: { file: string; bytes: number; sha256?: string }[] = [];
  private images: PackImage[] = [];
  private fd: number | null = null;
  private hash: Hash | null = null;
  private finished = false;

  /** Throws OutputRefused, before writing anything, when `out` is something other than a previous pack. */
  constructor(
    readonly out: string,
    private readonly limit = SHARD_LIMIT,
  ) {
    checkOutput(out);
    mkdirSync(dirname(out), { recursive: true });
    cleanStaleTemps(out);
    this.tmp = tempPathFor(out);
    holdTemp(this.tmp);
    mkdirSync(this.tmp, { recursive: true });
  }

  add(data: Uint8Array, meta: Omit<PackImage, 'shard' | 'offset' | 'length'>): void {
    if (data.length > this.limit) throw new Error(`${meta.name} is ${data.length} bytes, larger than a shard`);
    let current = this.shards.at(-1);
    if (this.fd === null || !current || current.bytes + data.length > this.limit) {
      this.closeShard();
      current = { file: `shard-${String(this.shards.length).padStart(3, '0')}.bin`, bytes: 0 };
      this.shards.push(current);
      this.fd = openSync(join(this.tmp, current.file), 'w');
      this.hash = createHash('sha256');
    }
    writeSync(this.fd, data);
    this.hash!.update(data);
    this.images.push({ ...meta, shard: this.shards.length - 1, offset: current.bytes, length: data.length });
    current.bytes += data.length;
  }

  get count(): number {
    return this.images.length;
  }

  private closeShard(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.hash) this.shards.at(-1)!.sha256 = this.hash.digest('hex');
    this.hash = null;
  }

  /** Writes the manifest and moves the pack into place, replacing a previous pack (and nothing else). */
  finish(info: Omit<PackManifest, 'version' | 'shards' | 'images' | 'created'>): PackManifest {
    this.closeShard();
    const manifest: PackManifest = {
      version: MANIFEST_VERSION,
      ...info,
      created: new Date().toISOString(),
      shards: this.shards,
      images: this.images,
    };
    writeFileSync(join(this.tmp, 'manifest.json'), JSON.stringify(manifest));
    const state = checkOutput(this.out); // again: something may have appeared there while we worked
    if (state === 'pack') {
      const old = `${this.tmp}.old`;
      renameSync(this.out, old);
      renameSync(this.tmp, this.out);
      rmSync(old, { recursive: true, force: true });
    } else {
      if (state === 'empty') rmdirSync(this.out);
      renameSync(this.tmp, this.out);
    }
    releaseTemp(this.tmp);
    this.finished = true;
    return manifest;
  }

  /** Removes the temp folder (after a failure); the previous pack, if any, is untouched. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (!this.finished) rmSync(this.tmp, { recursive: true, force: true });
    releaseTemp(this.tmp);
  }
}
