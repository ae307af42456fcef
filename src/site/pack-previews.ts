// The pets images that demos offer by name, chosen at build time from the pack's manifest, and their JPEG bytes, so a
// demo can show a real photo before (and without) its scripts or the pack: each is also written out as a small static
// file, /previews/pets/<name> (src/pages/previews/pets/[name].ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageBytes, type PackManifest } from '../lib/data/manifest';
import { PACK_DIR, packManifest as manifest } from './pack-manifest';

/** A dozen images spread evenly over the pack (or its validation images only), by name. */
function spread(m: PackManifest | null, split?: 'valid'): string[] {
  if (!m) return [];
  const pool = split ? m.images.filter((im) => im.split === split) : m.images;
  const step = Math.max(1, Math.floor(pool.length / 12));
  return pool
    .filter((_, i) => i % step === 0)
    .slice(0, 12)
    .map((im) => im.name);
}

/** How many training images the pack holds (0 when it is not prepared), for demos that draw a plan before running. */
export const trainCount = (): number => manifest()?.images.filter((im) => im.split === 'train').length ?? 0;
/** The presizing lab's choices (any split). */
export const presizingChoices = (): string[] => spread(manifest());
/** The model view's choices (validation images: the model never trained on them). */
export const modelViewChoices = (): string[] => spread(manifest(), 'valid');

/** Where a preview is served from. */
export const previewUrl = (name: string): string => `/previews/pets/${encodeURIComponent(name)}`;

/** Every previewed image with its JPEG bytes, read from the pack's shards. */
export function previews(): { name: string; bytes: Uint8Array }[] {
  const m = manifest();
  if (!m) return [];
  const names = new Set([...presizingChoices(), ...modelViewChoices()]);
  const shards = m.shards.map((s) => new Uint8Array(readFileSync(join(PACK_DIR, s.file))));
  return m.images.flatMap((im, i) =>
    names.has(im.name) ? [{ name: im.name, bytes: imageBytes(m, shards, i).slice() }] : [],
  );
}
