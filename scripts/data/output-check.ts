// Decides whether `npm run data --out <path>` may put a pack at a path: only a missing path, an empty folder or a
// previous pack (a folder holding a pack manifest and the shards it lists, nothing else) may be replaced, so the
// command never deletes what it did not write.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../src/lib/data/manifest';

export class OutputRefused extends Error {}

export type OutputState = 'absent' | 'empty' | 'pack';

const ADVICE = 'choose a new folder, or a folder holding only a pack written by npm run data';

function listed(names: string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

/** What is at `out` now; throws OutputRefused (one line, naming the reason) when a pack must not replace it. */
export function checkOutput(out: string): OutputState {
  if (!existsSync(out)) {
    try {
      lstatSync(out); // a dangling symbolic link exists for lstat only
    } catch {
      return 'absent';
    }
  }
  const stat = lstatSync(out);
  if (stat.isSymbolicLink())
    throw new OutputRefused(`--out ${out} is a symbolic link; refusing to replace it: ${ADVICE}.`);
  if (!stat.isDirectory())
    throw new OutputRefused(`--out ${out} is a file, not a pack folder; refusing to replace it: ${ADVICE}.`);
  const entries = readdirSync(out);
  if (entries.length === 0) return 'empty';
  if (!entries.includes('manifest.json')) {
    throw new OutputRefused(
      `--out ${out} is a folder holding other files (${listed(entries)}), not a pack; refusing to replace it: ${ADVICE}.`,
    );
  }
  let shards: string[];
  try {
    shards = parseManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).shards.map((s) => s.file);
  } catch (error) {
    throw new OutputRefused(
      `--out ${out} has a manifest.json that is not a pack's (${(error as Error).message}); refusing to replace it: ${ADVICE}.`,
    );
  }
  const known = new Set(['manifest.json', ...shards]);
  const others = entries.filter((n) => !known.has(n) || !lstatSync(join(out, n)).isFile());
  if (others.length > 0) {
    throw new OutputRefused(
      `--out ${out} holds a pack but also other files (${listed(others)}); refusing to replace it: ${ADVICE}.`,
    );
  }
  return 'pack';
}
