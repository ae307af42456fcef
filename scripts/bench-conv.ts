#!/usr/bin/env node
// npm run bench:conv -- [--backend webgpu|webgl|wasm|cpu] [--batch 64] [--size 96] [--repeats 5] [--arch resnet-s]
//                       [--tilings m32n32r4k32w1024,m64n32r8k32w4096p] [--gemm-tilings m64n32r8k16v,m32n32r4k16]
//                       [--json <file>] [--record]
// Times each convolution kernel of ResNet-S layer by layer: the forward pass, the input gradient, and the filter
// gradient, stock and with each tiling of ours (--tilings: the filter gradient's; --gemm-tilings: the forward pass's
// and the input gradient's). Prints milliseconds and TFLOP/s per layer, the totals, and the fastest tiling per layer:
// what to change next, and which tilings to make the defaults on a given GPU.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { isBackendName } from '../src/lib/engine/backend-names';
import {
  benchConvLayers,
  fastestTilings,
  isWrong as wrong,
  MAX_RELATIVE_ERROR,
  STOCK_ALTERNATIVES,
  TILED_KERNELS,
  type ConvBenchOptions,
  type ConvKernelTime,
} from './bench/conv-bench';
import { DEFAULT_GEMM_PLAN_SPEC, GEMM_TILINGS, parseGemmTiling } from '../src/lib/kernels/webgpu/gemm-tiling';
import { DEFAULT_PLAN_SPEC, FILTER_TILINGS, parseTiling } from '../src/lib/kernels/webgpu/filter-tiling';
import { backendAdapter, nodeBackend } from './node-backend';
import { recordRuns } from './bench/record';
import { machineName } from './bench/machine';
import { figuresOf, type ConvJson } from './bench/figures';

/** A table column: 'forward stock', 'input mm', 'filter m32n32r4k32w1024'. */
const columnOf = (kernel: string, variant: string) => `${kernel.split(' ')[0]} ${variant}`;
const column = (t: ConvKernelTime) => columnOf(t.kernel, t.variant);
const tflops = (v: number) => (v >= 0.1 ? v.toFixed(2) : v.toPrecision(2));
const cell = (t: ConvKernelTime | undefined) =>
  !t ? '' : wrong(t) ? `WRONG (error ${t.error!.toExponential(1)})` : `${t.ms.toFixed(2)} ms ${tflops(t.tflops)}T`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'webgpu' },
      batch: { type: 'string', default: '64' },
      size: { type: 'string', default: '96' },
      repeats: { type: 'string', default: '5' },
      arch: { type: 'string', default: 'resnet-s' },
      tilings: { type: 'string' },
      'gemm-tilings': { type: 'string' },
      json: { type: 'string' },
      record: { type: 'boolean' },
    },
  });
  if (!isBackendName(values.backend)) throw new Error('--backend must be webgpu, webgl, wasm or cpu');
  const tilings = values.tilings?.split(',') ?? [...FILTER_TILINGS];
  tilings.forEach(parseTiling); // throws, saying why, on a malformed spec
  const gemmTilings = values['gemm-tilings']?.split(',') ?? [...GEMM_TILINGS];
  gemmTilings.forEach(parseGemmTiling);
  const o: ConvBenchOptions = {
    arch: values.arch,
    batch: Number(values.batch),
    size: Number(values.size),
    repeats: Number(values.repeats),
    tilings,
    gemmTilings,
  };
  for (const [name, v] of [
    ['batch', o.batch],
    ['size', o.size],
    ['repeats', o.repeats],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number of at least 1`);
  }
  const backend = await nodeBackend(values.backend);
  const machine = machineName(backendAdapter());
  const result = await benchConvLayers(o, (what) => process.stderr.isTTY && process.stderr.write(`\r\x1b[K  ${what}`));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');

  console.log(`${o.arch} convolutions, batch ${o.batch}, ${o.size} px, backend ${backend} (${machine})`);
  console.log(
    `median of ${o.repeats} runs, ${result.clock === 'gpu' ? 'GPU time from timestamp queries' : 'wall time with a read-back (no GPU timestamps here)'}`,
  );
  const columns = [...new Set(result.times.map(column))];
  const head = ['layer'.padEnd(20), 'input -> k, out, stride'.padEnd(28), ...columns.map((c) => c.padEnd(24))].join(
    ' ',
  );
  console.log(head);
  for (const l of result.layers) {
    const mine = result.times.filter((t) => t.layer === l.name);
    const shape = `${l.x.join('x')} -> ${l.k}, ${l.cout}, /${l.stride}`;
    console.log(
      [
        l.name.padEnd(20),
        shape.padEnd(28),
        ...columns.map((c) => cell(mine.find((t) => column(t) === c)).padEnd(24)),
      ].join(' '),
    );
  }
  const total = (c: string) => result.times.filter((t) => column(t) === c).reduce((s, t) => s + t.ms, 0);
  console.log(['all layers'.padEnd(49), ...columns.map((c) => `${total(c).toFixed(2)} ms`.padEnd(24))].join(' '));
  // Variants whose result matched stock's on every layer: only those can be chosen.
  const failed = new Set(result.times.filter(wrong).map((t) => t.variant));
  if (failed.size)
    console.log(
      `WRONG results (differ from stock's by more than ${MAX_RELATIVE_ERROR} of its largest value): ${[...failed].join(', ')}`,
    );
  // TF.js's alternatives to its default kernels; those that beat them over all layers, as the flags that turn them on
  // (npm run bench -- --tf-flag NAME=VALUE).
  const fasterFlags: string[] = [];
  for (const a of STOCK_ALTERNATIVES) {
    const [alt, def] = [columnOf(a.kernel, a.variant), columnOf(a.kernel, 'stock')];
    if (!columns.includes(alt)) continue;
    console.log(
      `TF.js's ${a.kernel}: ${a.variant} (${a.flag}=${a.value}) ${total(alt).toFixed(2)} ms, its default ${total(def).toFixed(2)} ms`,
    );
    // Where our own kernel was timed, it runs instead of either, so the flag would change nothing.
    const oursTimed = fastestTilings(result, a.kernel as (typeof TILED_KERNELS)[number]).single !== null;
    if (!failed.has(a.variant) && total(alt) < total(def) && !oursTimed) fasterFlags.push(`${a.flag}=${a.value}`);
  }
  // For each of our kernels: its fastest tiling for each layer; the one fastest over all layers; and the plan that
  // gives each filter shape its fastest (npm run bench -- --filter-tiling PLAN --forward-tiling PLAN
  // --input-tiling PLAN times the whole step with them).
  const fastest = Object.fromEntries(TILED_KERNELS.map((kernel) => [kernel, fastestTilings(result, kernel)]));
  for (const kernel of TILED_KERNELS) {
    const { perLayer, single, plan } = fastest[kernel]!;
    if (!single || !plan) continue;
    console.log(
      `${kernel}, fastest of our tilings per layer: ${perLayer.map((t) => `${t.layer} ${t.spec}`).join(', ')}`,
    );
    console.log(
      `${kernel}, fastest single tiling over all layers: ${single.spec}, ${single.ms.toFixed(2)} ms; stock ${total(columnOf(kernel, 'stock')).toFixed(2)} ms`,
    );
    if (plan.spec !== single.spec)
      console.log(`${kernel}, each filter shape with its fastest tiling: ${plan.ms.toFixed(2)} ms, plan ${plan.spec}`);
  }
  const planOf = (kernel: (typeof TILED_KERNELS)[number]) => fastest[kernel]!.plan?.spec ?? null;
  const flags = [
    `--backend ${values.backend}`,
    `--batch ${o.batch}`,
    `--size ${o.size}`,
    `--repeats ${o.repeats}`,
    `--tilings ${tilings.join(',')}`,
    `--gemm-tilings ${gemmTilings.join(',')}`,
  ];
  if (o.arch !== 'resnet-s') flags.push(`--arch ${o.arch}`);
  const filter = fastest['filter gradient']!;
  const output: ConvJson & {
    repeats: number;
    tilings: string[];
    gemmTilings: string[];
    fastestTiling: string | null;
    fastestPlan: string | null;
    defaultTiling: string;
    fastestForwardPlan: string | null;
    fastestInputPlan: string | null;
    defaultGemmTiling: string;
    fasterFlags: string[];
  } = {
    kind: 'conv',
    date: new Date().toISOString(),
    machine,
    command: `npm run bench:conv -- ${flags.join(' ')}`,
    backend,
    arch: o.arch,
    batch: o.batch,
    size: o.size,
    repeats: o.repeats,
    tilings,
    gemmTilings,
    ...result,
    fastestTiling: filter.single?.spec ?? null,
    fastestPlan: filter.plan?.spec ?? null,
    defaultTiling: DEFAULT_PLAN_SPEC,
    fastestForwardPlan: planOf('forward'),
    fastestInputPlan: planOf('input gradient'),
    defaultGemmTiling: DEFAULT_GEMM_PLAN_SPEC,
    fasterFlags,
  };
  if (values.json) writeFileSync(values.json, JSON.stringify(output, null, 2));
  if (values.record) recordRuns(figuresOf(output));
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
