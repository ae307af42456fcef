#!/usr/bin/env node
// npm run bench:data -- [--backend webgpu|webgl|wasm|cpu] [--json <file>] [--record]
// Preparation throughput (Node, one core) and in-browser decode + augment throughput for 64-image batches.
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { recordRuns } from './bench/record';
import { machineName } from './bench/machine';
import { join } from 'node:path';
import sharp from 'sharp';
import { preparePack } from './data/prepare';
import { resolveSource } from './data/sources';
import { runBenchIsland } from './bench/browser';
import { isBackendName } from '../src/lib/engine/backend-names';

const SAMPLE = '../shared/data/oxford-iiit-pet-sample';

async function preparation(): Promise<{ images: number; seconds: number; perSecond: number }> {
  const source = process.env['PETS_SOURCE'] ?? (existsSync(SAMPLE) ? SAMPLE : undefined);
  const { root } = await resolveSource('pets', source);
  sharp.concurrency(1); // one libvips thread, one image at a time: one core
  const out = mkdtempSync(join(tmpdir(), 'bench-data-'));
  try {
    const r = await preparePack({
      dataset: 'pets',
      root,
      out: join(out, 'pack'),
      size: 160,
      split: 'random',
      validPct: 0.2,
      seed: 42,
      source: 'bench',
      concurrency: 1,
      progress: false,
      log: () => {},
    });
    return { images: r.manifest.images.length, seconds: r.seconds, perSecond: r.manifest.images.length / r.seconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function inBrowser(backend: string | undefined) {
  const { result, adapter } = await runBenchIsland<{
    decodeMs: number;
    augmentMs: number;
    imagesPerS: number;
    backend: string;
  }>('data-bench', new URLSearchParams(backend ? { backend } : {}), 600_000);
  return { ...result, adapter };
}

async function main() {
  const { values } = parseArgs({
    options: { backend: { type: 'string' }, json: { type: 'string' }, record: { type: 'boolean' } },
  });
  if (values.backend !== undefined && !isBackendName(values.backend))
    throw new Error(`--backend must be webgpu, webgl, wasm or cpu`);
  const machine = machineName();
  console.log(`machine: ${machine}`);
  const prep = await preparation();
  console.log(
    `preparation (Node, sharp, one core): ${prep.images} images in ${prep.seconds.toFixed(2)} s = ${prep.perSecond.toFixed(0)} images/s (target >= 100)`,
  );
  const b = await inBrowser(values.backend);
  console.log(`browser (${b.backend}; WebGPU adapter: ${b.adapter}), batch of 64 at 96 px, median of 5:`);
  console.log(`  decode + item crop  ${b.decodeMs.toFixed(1)} ms`);
  console.log(`  batch step          ${b.augmentMs.toFixed(1)} ms (one resample per image)`);
  console.log(`  throughput          ${b.imagesPerS.toFixed(0)} images/s`);
  const date = new Date().toISOString();
  const result = { date, machine, preparation: prep, browser: b };
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
  if (values.record) {
    recordRuns([
      {
        date,
        machine,
        command: 'npm run bench:data',
        metric: 'pack preparation, one core',
        value: Math.round(prep.perSecond),
        unit: 'images/s',
      },
      {
        date,
        machine: `${machine}; ${b.adapter}`,
        command: `npm run bench:data${values.backend ? ` -- --backend ${values.backend}` : ''}`,
        metric: 'decode + augment, batches of 64 at 96 px',
        value: Math.round(b.imagesPerS),
        unit: 'images/s',
        backend: b.backend,
      },
      {
        date,
        machine: `${machine}; ${b.adapter}`,
        command: `npm run bench:data${values.backend ? ` -- --backend ${values.backend}` : ''}`,
        metric: 'batch step alone, 64 images',
        value: Number(b.augmentMs.toFixed(1)),
        unit: 'ms',
        backend: b.backend,
      },
    ]);
  }
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
