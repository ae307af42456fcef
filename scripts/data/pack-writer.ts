// Writes a pack: images appended to binary shards (each under the size limit) and manifest.json, in a temp folder
// that replaces the output folder only when everything is written, so a reader never sees half a pack.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { MANIFEST_VERSION, type PackImage, type PackManifest } from '../../src/lib/data/manifest';

export const SHARD_LIMIT = 7.5 * 1024 * 1024;

export class PackWriter {
  readonly tmp: string;
  private shards: { file: string; bytes: number }[] = [];
  private images: PackImage[] = [];
  private fd: number | null = null;
  private finished = false;

  constructor(readonly out: string, private readonly limit = SHARD_LIMIT) {
    mkdirSync(dirname(out), { recursive: true });
    this.tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now()}.tmp`);
    mkdirSync(this.tmp, { recursive: true });
  }

  add(data: Uint8Array, meta: Omit<PackImage, 'shard' | 'offset' | 'length'>): void {
    if (data.length > this.limit) throw new Error(`${meta.name} is ${data.length} bytes, larger than a shard`);
    let current = this.shards.at(-1);
    if (this.fd === null || !current || current.bytes + data.length > this.limit) {
      if (this.fd !== null) closeSync(this.fd);
      current = { file: `shard-${String(this.shards.length).padStart(3, '0')}.bin`, bytes: 0 };
      this.shards.push(current);
      this.fd = openSync(join(this.tmp, current.file), 'w');
    }
    writeSync(this.fd, data);
    this.images.push({ ...meta, shard: this.shards.length - 1, offset: current.bytes, length: data.length });
    current.bytes += data.length;
  }

  get count(): number {
    return this.images.length;
  }

  /** Writes the manifest and moves the pack into place, replacing any previous one. */
  finish(info: Omit<PackManifest, 'version' | 'shards' | 'images' | 'created'>): PackManifest {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const manifest: PackManifest = { version: MANIFEST_VERSION, ...info, created: new Date().toISOString(), shards: this.shards, images: this.images };
    writeFileSync(join(this.tmp, 'manifest.json'), JSON.stringify(manifest));
    const old = `${this.tmp}.old`;
    if (existsSync(this.out)) renameSync(this.out, old);
    renameSync(this.tmp, this.out);
    rmSync(old, { recursive: true, force: true });
    this.finished = true;
    return manifest;
  }

  /** Removes the temp folder (after a failure); the previous pack, if any, is untouched. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (!this.finished) rmSync(this.tmp, { recursive: true, force: true });
  }
}
