// Builds a pack from a dataset folder: scan, label, split, presize, write shards and manifest, report.
import { readFile } from 'node:fs/promises';
import { vocabOf } from '../../src/lib/data/labellers';
import { randomSplit } from '../../src/lib/data/splitters';
import { countsOf, type PackManifest } from '../../src/lib/data/manifest';
import { presize } from './presize';
import { PackWriter } from './pack-writer';
import { scan, type Dataset, type Skipped } from './scan';
import { progressReporter } from './progress';
import { checkOutput } from './output-check';

export interface PrepareOptions {
  dataset: Dataset;
  /** A folder in the dataset's official layout. */
  root: string;
  out: string;
  size: number;
  split: 'random' | 'official';
  validPct: number;
  seed: number;
  /** Describes where the data came from, for the manifest. */
  source: string;
  concurrency?: number;
  log?: (line: string) => void;
  progress?: boolean;
}

export interface PrepareReport {
  manifest: PackManifest;
  skipped: Skipped[];
  converted: { name: string; note: string }[];
  seconds: number;
}

export class PrepareError extends Error {}

export async function preparePack(o: PrepareOptions): Promise<PrepareReport> {
  const log = o.log ?? ((line: string) => console.error(line));
  const start = performance.now();
  checkOutput(o.out); // refuse a path that is not a previous pack before any work
  const { items, skipped } = scan(o.dataset, o.root);
  for (const s of skipped) log(`warning: skipped ${s.name}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
  if (items.length === 0) throw new PrepareError(`No usable images in ${o.root}: ${skipped.length} files skipped.`);

  const results = new Array<Awaited<ReturnType<typeof presize>> | undefined>(items.length);
  const progress = o.progress === false ? null : progressReporter('presizing', 'images');
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      let bytes: Buffer;
      try {
        bytes = await readFile(item.path);
      } catch (error) {
        results[i] = { ok: false, reason: 'corrupt or truncated image', detail: (error as Error).message };
        continue;
      }
      results[i] = await presize(bytes, o.size, item.name);
      progress?.update(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 4 }, worker));
  progress?.update(done, items.length, true);
  progress?.done();

  const usable: number[] = [];
  const converted: PrepareReport['converted'] = [];
  results.forEach((r, i) => {
    const item = items[i]!;
    if (!r || !r.ok) {
      const s: Skipped = {
        name: item.name,
        reason: r?.reason ?? 'corrupt or truncated image',
        detail: r && !r.ok ? r.detail : undefined,
      };
      skipped.push(s);
      log(`warning: skipped ${s.name}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
      return;
    }
    for (const note of r.notes) converted.push({ name: item.name, note });
    usable.push(i);
  });
  if (usable.length === 0)
    throw new PrepareError(`No usable images in ${o.root}: all ${items.length} candidates failed to decode.`);

  const expected = vocabOf(items.map((it) => it.label));
  const classes = vocabOf(usable.map((i) => items[i]!.label));
  const empty = expected.filter((c) => !classes.includes(c));
  if (empty.length > 0)
    throw new PrepareError(
      `Class${empty.length > 1 ? 'es' : ''} left without any usable image: ${empty.join(', ')}. No pack written.`,
    );

  let isValid: (k: number) => boolean;
  if (o.split === 'official') {
    const unlisted = usable.filter((i) => items[i]!.official === null);
    if (unlisted.length === usable.length)
      throw new PrepareError(`--split official needs the dataset's split lists; none found under ${o.root}.`);
    isValid = (k) => items[usable[k]!]!.official === 'valid';
  } else {
    const valid = new Set(randomSplit(usable.length, o.validPct, o.seed).valid);
    isValid = (k) => valid.has(k);
  }

  const writer = new PackWriter(o.out);
  try {
    usable.forEach((i, k) => {
      const item = items[i]!;
      const r = results[i] as Extract<NonNullable<(typeof results)[number]>, { ok: true }>;
      if (o.split === 'official' && item.official === null) {
        skipped.push({ name: item.name, reason: 'not in the official split lists' });
        return;
      }
      writer.add(r.data, {
        width: r.width,
        height: r.height,
        label: classes.indexOf(item.label),
        split: isValid(k) ? 'valid' : 'train',
        name: item.name,
      });
    });
    const manifest = writer.finish({
      dataset: o.dataset,
      size: o.size,
      classes,
      source: o.source,
      split: o.split === 'random' ? { kind: 'random', validPct: o.validPct, seed: o.seed } : { kind: 'official' },
    });
    return { manifest, skipped, converted, seconds: (performance.now() - start) / 1000 };
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** The end-of-run report: images per class and split, skipped files by reason, conversions. */
export function formatReport(r: PrepareReport): string {
  const { perClass, train, valid } = countsOf(r.manifest);
  const width = Math.max(...r.manifest.classes.map((c) => c.length), 5);
  const lines = [`${'class'.padEnd(width)}  train  valid`];
  for (const c of r.manifest.classes)
    lines.push(
      `${c.padEnd(width)}  ${String(perClass[c]!.train).padStart(5)}  ${String(perClass[c]!.valid).padStart(5)}`,
    );
  lines.push(`${'total'.padEnd(width)}  ${String(train).padStart(5)}  ${String(valid).padStart(5)}`);
  const byReason = new Map<string, number>();
  for (const s of r.skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  lines.push('', `skipped: ${r.skipped.length}${[...byReason].map(([k, n]) => `\n  ${k}: ${n}`).join('')}`);
  const byNote = new Map<string, number>();
  for (const c of r.converted) byNote.set(c.note, (byNote.get(c.note) ?? 0) + 1);
  lines.push(`converted: ${r.converted.length}${[...byNote].map(([k, n]) => `\n  ${k}: ${n}`).join('')}`);
  const bytes = r.manifest.shards.reduce((s, x) => s + x.bytes, 0);
  lines.push(
    `${r.manifest.images.length} images, ${r.manifest.classes.length} classes, ${r.manifest.shards.length} shards (${(bytes / 1048576).toFixed(1)} MB) in ${r.seconds.toFixed(1)} s (${(r.manifest.images.length / r.seconds).toFixed(0)} images/s)`,
  );
  return lines.join('\n');
}
