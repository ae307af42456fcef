// The prepared pets pack's manifest, read at build time by the demos' server sides so a static page already says what
// the data is; null when the pack is not prepared or its manifest is not one (the demo then says so in words).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest, type PackManifest } from '../lib/data/manifest';

export const PACK_DIR = 'public/data/pets';

export function packManifest(): PackManifest | null {
  try {
    return parseManifest(JSON.parse(readFileSync(join(PACK_DIR, 'manifest.json'), 'utf8')));
  } catch {
    return null;
  }
}
