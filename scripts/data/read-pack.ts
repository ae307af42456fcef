// Reads a prepared pack from disk (Node) and decodes its JPEGs with sharp.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseManifest } from '../../src/lib/data/manifest';
import type { LoadedPack } from '../../src/lib/data/pack-loader';
import type { DecodedImage } from '../../src/lib/data/pack-source';

export async function readPack(dir: string): Promise<LoadedPack> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (error) {
    throw new Error(`No readable pack in ${dir} (${(error as Error).message}). Prepare one with npm run data.`);
  }
  const manifest = parseManifest(json);
  const shards = await Promise.all(manifest.shards.map(async (s) => new Uint8Array(await readFile(join(dir, s.file)))));
  shards.forEach((b, i) => {
    if (b.length !== manifest.shards[i]!.bytes)
      throw new Error(
        `${manifest.shards[i]!.file} has ${b.length} bytes, the manifest says ${manifest.shards[i]!.bytes}.`,
      );
  });
  return { manifest, shards };
}

export async function decodeWithSharp(bytes: Uint8Array): Promise<DecodedImage> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}
