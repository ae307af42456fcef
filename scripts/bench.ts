#!/usr/bin/env node
// npm run bench -- [--backend cpu|wasm|webgpu|webgl] [--kernels ours|stock|both] [--batch 64] [--size 96] [--steps 10]
//                  [--arch resnet-s] [--submit-batch N] [--filter-tiling SPEC|PLAN] [--forward-tiling SPEC|PLAN]
//                  [--input-tiling SPEC|PLAN] [--tf-flag NAME=VALUE ...] [--browser]
//                  [--no-profile] [--host-only] [--peer torch|none] [--threads N] [--jax [--jax-steps 2]]
//                  [--json <file>] [--record]
// Trains ResNet-S on synthetic data through the real engine (our loop, our Adam) and prints median ms per step,
// images/s, GPU dispatches per step, the kernels that take the most time, and an inference figure; with both kernel
// sets, the ours/stock ratio from the same run. In Node (WebGPU through the `webgpu` package, as on a GPU machine)
// by default; with --browser, in headless Chromium on the built site's Performance page. --record appends the
// figures to benchmarks/results.json. --host-only (WebGPU in Node) drops the GPU's work, leaving the CPU's part of a
// step: what TF.js and our code cost to issue it, the floor under a step on this CPU whatever the GPU.
// --filter-tiling (WebGPU in Node) runs our filter gradient with one of its tilings, or a plan of tilings by filter
// shape (src/lib/kernels/webgpu/filter-tiling.ts); --forward-tiling and --input-tiling likewise our forward convolution
// and input gradient (src/lib/kernels/webgpu/gemm-tiling.ts); and --tf-flag sets one of TF.js's flags, such as the one choosing its
// input-gradient kernel (npm run bench:conv compares both).
// --peer torch (the default on wasm and cpu) times PyTorch eager on the same model, shape and number of threads
// (scripts/bench/torch-peer.py, when python3 with torch is present), one of its steps after each of ours (in the
// browser the page pauses for it: bench.pause=after-steps), and prints the ratio of the two: the CPU target is
// ours at most 3x PyTorch's ms per step. --threads N (wasm in the browser) computes on N threads (?threads=N); by
// default the page uses all cores but one, where it is cross-origin isolated (Node's wasm has no threads).
// --jax (with --browser) then times jax-js, the one other library that trains in the browser, on the same model and
// shape in the same browser (scripts/bench/jax-peer.ts: its wasm device on as many threads, or its webgpu one beside
// --backend webgpu), --jax-steps steps after one that compiles, and prints how many times faster ours is.
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { isBackendName } from '../src/lib/engine/backend-names';
import { wasmThreadsWanted } from '../src/lib/engine/wasm-threads';
import { benchTraining, type TrainBenchOptions, type TrainBenchResult } from '../src/lib/bench/train-bench';
import { median } from '../src/lib/bench/stats';
import { augmentBatch } from '../src/lib/data/gpu-augment';
import { augOptions, drawAug } from '../src/lib/data/augment';
import { seededRng } from '../src/lib/data/rng';
import type { KernelSet } from '../src/lib/kernels/switches';
import { recordRuns } from './bench/record';
import { timeJaxPeer, type JaxPeer } from './bench/jax-peer';
import { machineName } from './bench/machine';
import { figuresOf, type HostOnlyJson, type TrainingJson } from './bench/figures';
import { startTorchPeer, type TorchPeer } from './bench/torch-peer';
import { DEFAULT_PLAN_SPEC, filterTilingPlan, setFilterTiling } from '../src/lib/kernels/webgpu/filter-tiling';
import { DEFAULT_GEMM_PLAN_SPEC, gemmTilingPlan, setGemmTiling } from '../src/lib/kernels/webgpu/gemm-tiling';

/** The data pipeline's batch step on the same backend: presized 160 px items -> augmented batch of `size` px. */
async function augmentMs(batch: number, size: number, repeats: number): Promise<number> {
  const items = tf.randomUniform([batch, 160, 160, 3], 0, 255) as tf.Tensor4D;
  const rng = seededRng(3);
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const draws = Array.from({ length: batch }, () => drawAug(rng, augOptions(0.75, true)));
    const t0 = performance.now();
    const out = augmentBatch(items, draws, size);
    await out.data();
    out.dispose();
    if (i > 0) times.push(performance.now() - t0);
  }
  items.dispose();
  return median(times);
}

/**
 * Makes every compute dispatch a no-op: the engine records, binds and submits each step as usual, but the GPU has
 * nothing to run, so a step's time is what the CPU spends issuing it. Results are meaningless; times are not.
 */
function dropGpuWork(): void {
  const encoder = (globalThis as { GPUComputePassEncoder?: { prototype: { dispatchWorkgroups: unknown } } })
    .GPUComputePassEncoder;
  if (!encoder) throw new Error('--host-only needs the webgpu backend.');
  encoder.prototype.dispatchWorkgroups = () => {};
}

/** 'NAME=VALUE' as a TF.js flag and its value (true, false or a number). */
function parseFlag(s: string): [string, boolean | number] {
  const [name = '', text = ''] = s.split('=');
  const value = text === 'true' ? true : text === 'false' ? false : Number(text);
  if (!name || text === '' || Number.isNaN(value))
    throw new Error(`--tf-flag takes NAME=VALUE with VALUE true, false or a number, not "${s}"`);
  return [name, value];
}

/** Threads TF.js computes on: wasm's own count (1 unless its threaded build runs), 1 for cpu. */
async function tfThreads(backend: string): Promise<number> {
  if (backend !== 'wasm') return 1;
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  return getThreadsCount();
}

async function inNode(
  backendName: string,
  o: TrainBenchOptions,
  flags: [string, boolean | number][],
  hostOnly: boolean,
  wantPeer: boolean,
) {
  const { nodeBackend, backendAdapter } = await import('./node-backend');
  const backend = await nodeBackend(backendName as never);
  let peer: TorchPeer | null = null;
  let peerMissing: string | null = null;
  if (wantPeer) {
    const started = await startTorchPeer({ batch: o.batch, size: o.size, threads: await tfThreads(backend) });
    if ('missing' in started) peerMissing = started.missing;
    else {
      peer = started;
      o.afterStep = async () => void (await started.step());
    }
  }
  for (const [name, value] of flags) {
    try {
      tf.env().get(name); // throws on a flag TF.js does not know
    } catch {
      throw new Error(`TF.js has no flag ${name} on this backend`);
    }
    tf.env().set(name, value);
  }
  if (hostOnly) dropGpuWork();
  const adapter = backendAdapter();
  // Progress on one rewritten line, only on a terminal.
  const results = await benchTraining(o, (what) => process.stderr.isTTY && process.stderr.write(`\r\x1b[K  ${what}`));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  peer?.close();
  const aug = hostOnly ? null : await augmentMs(o.batch, o.size, Math.max(3, o.steps));
  return {
    backend,
    adapter,
    results,
    augmentMs: aug as number | null,
    peer,
    peerMissing,
    threads: await tfThreads(backend),
  };
}

/**
 * The browser's run, with one PyTorch step after each of the page's timed steps when `wantPeer` (the page pauses there:
 * bench.pause=after-steps), on the threads the page computes on (`threads`, else all cores but one, as the page
 * chooses: src/lib/engine/wasm-threads.ts).
 */
async function inBrowser(backendName: string, o: TrainBenchOptions, threads: number | undefined, wantPeer: boolean) {
  const peerThreads = threads ?? wasmThreadsWanted(null, availableParallelism());
  let peer: TorchPeer | null = null;
  let peerMissing: string | null = null;
  if (wantPeer) {
    const started = await startTorchPeer({ batch: o.batch, size: o.size, threads: peerThreads });
    if ('missing' in started) peerMissing = started.missing;
    else peer = started;
  }
  try {
    const page = await onPage(backendName, o, threads, peer ? async () => void (await peer.step()) : undefined);
    return { ...page, peer, peerMissing };
  } finally {
    peer?.close();
  }
}

async function onPage(
  backendName: string,
  o: TrainBenchOptions,
  threads: number | undefined,
  betweenSteps: (() => Promise<void>) | undefined,
) {
  const { runBenchIsland } = await import('./bench/browser');
  const q = new URLSearchParams({
    backend: backendName,
    'bench.arch': o.arch,
    'bench.batch': String(o.batch),
    'bench.size': String(o.size),
    'bench.steps': String(o.steps),
  });
  q.set('bench.kernels', o.kernels.length === 2 ? 'both' : o.kernels[0]!);
  if (threads !== undefined) q.set('threads', String(threads));
  // The page profiles only when asked: one more step, slow on a software GPU.
  if (o.profile && backendName !== 'webgpu') q.set('bench.profile', 'one-step');
  if (betweenSteps) q.set('bench.pause', 'after-steps');
  const { result: results, adapter } = await runBenchIsland<TrainBenchResult[]>(
    'train-bench',
    q,
    1_800_000,
    betweenSteps,
  );
  return {
    backend: results[0]?.backend ?? backendName,
    adapter: `headless Chromium, ${adapter}`,
    results,
    augmentMs: null,
    threads: results[0]?.threads ?? (backendName === 'wasm' ? 1 : null),
  };
}

/** What bounds a step: the CPU recording it, the GPU running it, or neither (waits, idle GPU between submits). */
function limit(r: TrainBenchResult): string {
  const busiest = Math.max(r.hostMsPerStep, r.gpuMsPerStep ?? 0);
  if (busiest < 0.7 * r.msPerStep)
    return `neither the CPU nor the GPU is busy for ${((1 - busiest / r.msPerStep) * 100).toFixed(0)}% of a step`;
  return busiest === r.hostMsPerStep ? 'the CPU is the limit' : 'the GPU is the limit';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'cpu' },
      batch: { type: 'string', default: '64' },
      size: { type: 'string', default: '96' },
      steps: { type: 'string', default: '10' },
      arch: { type: 'string', default: 'resnet-s' },
      json: { type: 'string' },
      kernels: { type: 'string', default: 'both' },
      'submit-batch': { type: 'string' },
      record: { type: 'boolean' },
      browser: { type: 'boolean' },
      'no-profile': { type: 'boolean' },
      'host-only': { type: 'boolean' },
      'filter-tiling': { type: 'string' },
      'forward-tiling': { type: 'string' },
      'input-tiling': { type: 'string' },
      'tf-flag': { type: 'string', multiple: true },
      peer: { type: 'string' },
      threads: { type: 'string' },
      jax: { type: 'boolean' },
      'jax-steps': { type: 'string', default: '2' },
    },
  });
  if (!isBackendName(values.backend)) throw new Error('--backend must be webgpu, webgl, wasm or cpu');
  if (!['ours', 'stock', 'both'].includes(values.kernels)) throw new Error('--kernels must be ours, stock or both');
  const o: TrainBenchOptions = {
    arch: values.arch,
    batch: Number(values.batch),
    size: Number(values.size),
    steps: Number(values.steps),
    kernels: values.kernels === 'both' ? ['stock', 'ours'] : [values.kernels as KernelSet],
    profile: !values['no-profile'],
  };
  for (const [name, v] of [
    ['batch', o.batch],
    ['size', o.size],
    ['steps', o.steps],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number of at least 1`);
  }
  const hostOnly = Boolean(values['host-only']);
  if (hostOnly && (values.browser || values.backend !== 'webgpu'))
    throw new Error('--host-only works with --backend webgpu in Node only.');
  if (hostOnly) o.profile = false;
  const tiling = values['filter-tiling'];
  if (tiling !== undefined) {
    if (values.browser || values.backend !== 'webgpu')
      throw new Error('--filter-tiling works with --backend webgpu in Node only.');
    setFilterTiling(tiling); // throws, saying why, on a malformed spec
  }
  const gemmTilings = (['forward', 'input'] as const)
    .map((kernel) => [kernel, values[`${kernel}-tiling`]] as const)
    .filter(([, t]) => t !== undefined);
  for (const [kernel, t] of gemmTilings) {
    if (values.browser || values.backend !== 'webgpu')
      throw new Error(`--${kernel}-tiling works with --backend webgpu in Node only.`);
    setGemmTiling(kernel, t!);
  }
  const tfFlags = (values['tf-flag'] ?? []).map(parseFlag);
  if (tfFlags.length && values.browser) throw new Error('--tf-flag works in Node only.');
  // How many dispatches TF.js's WebGPU backend records before it submits them (its default is 15).
  if (values['submit-batch']) tfFlags.push(['WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number(values['submit-batch'])]);
  const peerChoice = values.peer ?? (values.backend === 'wasm' || values.backend === 'cpu' ? 'torch' : 'none');
  if (!['torch', 'none'].includes(peerChoice)) throw new Error('--peer must be torch or none');
  if (peerChoice === 'torch' && (hostOnly || (values.browser && values.backend !== 'wasm')))
    throw new Error('--peer torch works on the CPU backends: wasm or cpu in Node, wasm with --browser.');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (
    threads !== undefined &&
    (!values.browser || values.backend !== 'wasm' || !(Number.isInteger(threads) && threads >= 1))
  )
    throw new Error(
      '--threads takes a whole number of at least 1, with --backend wasm --browser (Node has no wasm threads).',
    );
  const jaxSteps = Number(values['jax-steps']);
  if (values.jax && (!values.browser || !['wasm', 'webgpu'].includes(values.backend) || hostOnly))
    throw new Error('--jax works with --browser, on --backend wasm (jax-js on wasm) or webgpu (jax-js on WebGPU).');
  if (!Number.isInteger(jaxSteps) || jaxSteps < 1) throw new Error('--jax-steps must be a whole number of at least 1');
  const run = values.browser
    ? await inBrowser(values.backend, o, threads, peerChoice === 'torch')
    : await inNode(values.backend, o, tfFlags, hostOnly, peerChoice === 'torch');
  const machine = machineName(run.adapter);
  const date = new Date().toISOString();
  const flags = [
    `--backend ${values.backend}`,
    `--kernels ${values.kernels}`,
    `--batch ${o.batch}`,
    `--size ${o.size}`,
    `--steps ${o.steps}`,
  ];
  if (values.arch !== 'resnet-s') flags.push(`--arch ${values.arch}`);
  if (values['submit-batch']) flags.push(`--submit-batch ${values['submit-batch']}`);
  if (values.peer !== undefined) flags.push(`--peer ${values.peer}`);
  if (values.browser) flags.push('--browser');
  if (threads !== undefined) flags.push(`--threads ${threads}`);
  if (values.jax) flags.push(`--jax --jax-steps ${jaxSteps}`);
  if (hostOnly) flags.push('--host-only');
  if (tiling !== undefined) flags.push(`--filter-tiling ${tiling}`);
  for (const [kernel, t] of gemmTilings) flags.push(`--${kernel}-tiling ${t}`);
  for (const f of values['tf-flag'] ?? []) flags.push(`--tf-flag ${f}`);
  const command = `npm run bench -- ${flags.join(' ')}`;
  const provenance = { date, machine, command, arch: o.arch, batch: o.batch, size: o.size, steps: o.steps };
  let output: TrainingJson | HostOnlyJson;
  if (hostOnly) {
    reportHostOnly(o, machine, run.results);
    output = {
      kind: 'host-only',
      ...provenance,
      results: run.results.map(({ kernels, backend, hostMsPerStep, msPerStep, dispatchesPerStep }) => ({
        kernels,
        backend,
        hostMsPerStep,
        msPerStep,
        dispatchesPerStep,
      })),
    };
  } else {
    report(o, machine, run.results, run.augmentMs);
    const peer = peerFigures(run.peer, run.results, o.steps, run.threads);
    if (run.peerMissing) console.log(`${run.peerMissing} (the bench ran alone)`);
    if (tiling !== undefined)
      console.log(
        `our filter gradient ran with the tiling plan ${filterTilingPlan()} (the default is ${DEFAULT_PLAN_SPEC})`,
      );
    for (const [kernel] of gemmTilings)
      console.log(
        `our ${kernel === 'forward' ? 'forward convolution' : 'input gradient'} ran with the tiling plan ${gemmTilingPlan(kernel)} (the default is ${DEFAULT_GEMM_PLAN_SPEC})`,
      );
    if (values['tf-flag']?.length) console.log(`TF.js flags set: ${values['tf-flag'].join(', ')}`);
    const browserPeer = values.jax
      ? await jaxFigures(values.backend as 'wasm' | 'webgpu', o, jaxSteps, run.threads, run.results)
      : null;
    output = {
      kind: 'training',
      ...provenance,
      augmentMs: run.augmentMs,
      results: run.results,
      ...(peer ? { peer } : {}),
      ...(browserPeer ? { browserPeer } : {}),
    };
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(output, null, 2));
  if (values.record) recordRuns(figuresOf(output));
}

function report(o: TrainBenchOptions, machine: string, results: TrainBenchResult[], augmentMs: number | null): void {
  for (const r of results) {
    console.log(`${o.arch}, batch ${o.batch}, ${o.size} px, backend ${r.backend}, ${r.kernels} kernels (${machine})`);
    console.log(
      `  training step   ${r.msPerStep.toFixed(1)} ms median of ${o.steps}  = ${r.imagesPerS.toFixed(1)} images/s`,
    );
    console.log(
      `  on the CPU      ${r.hostMsPerStep.toFixed(1)} ms to record a step (TF.js and our code issuing its kernels)`,
    );
    if (r.gpuMsPerStep !== null)
      console.log(`  on the GPU      ${r.gpuMsPerStep.toFixed(1)} ms: its dispatches' GPU times summed (${limit(r)})`);
    console.log(
      `  dispatches      ${r.dispatchesPerStep === null ? 'n/a (not WebGPU)' : `${r.dispatchesPerStep} GPU dispatches per step`}${r.kernelCallsPerStep === null ? '' : `; ${r.kernelCallsPerStep} TF.js kernel calls`}`,
    );
    console.log(
      `  inference       ${r.inferenceImagesPerS.toFixed(1)} images/s${r.inferenceDispatches === null ? '' : `; ${r.inferenceDispatches} GPU dispatches`}`,
    );
    if (r.topKernels.length)
      console.log(r.gpuMsPerStep === null ? '  kernels by time in one step:' : '  shaders by GPU time in one step:');
    for (const k of r.topKernels)
      console.log(`    ${k.name.padEnd(28)} ${String(k.calls).padStart(4)} calls  ${k.ms.toFixed(1)} ms`);
  }
  if (augmentMs !== null) {
    const share = augmentMs / results.at(-1)!.msPerStep;
    console.log(
      `batch step: ${augmentMs.toFixed(1)} ms to augment ${o.batch} images (160 -> ${o.size} px) = ${(share * 100).toFixed(1)}% of a training step (target < 10%)`,
    );
  }
  if (results.length === 2) {
    const [a, b] = results as [TrainBenchResult, TrainBenchResult];
    console.log(
      `\nours / stock: training ${(b.imagesPerS / a.imagesPerS).toFixed(2)}x, inference ${(b.inferenceImagesPerS / a.inferenceImagesPerS).toFixed(2)}x`,
    );
  }
}

/**
 * The peer's median ms/step over the steps interleaved with each kernel set's (they ran in order, `steps` each, one of
 * the peer's after each of ours, in Node and in the browser alike), ours against it, printed; the JSON's msPerStep is
 * the one beside our kernels (or the only set run).
 */
function peerFigures(
  peer: TorchPeer | null,
  results: TrainBenchResult[],
  steps: number,
  threads: number | null,
): NonNullable<TrainingJson['peer']> | null {
  if (!peer || peer.times.length < steps * results.length) return null;
  const bySet = Object.fromEntries(
    results.map((r, i) => [r.kernels, median(peer.times.slice(i * steps, (i + 1) * steps))]),
  );
  const ms = bySet['ours'] ?? bySet[results[0]!.kernels]!;
  console.log(`\npeer: ${peer.name}, one of its steps after each of our timed steps`);
  if (threads !== null && peer.threads !== threads)
    console.log(`  (threads differ: ours ${threads}, the peer's ${peer.threads}; the ratio is not at equal threads)`);
  for (const r of results) {
    console.log(
      `  ${r.kernels} kernels (${threads ?? '?'} thread${threads === 1 ? '' : 's'}) ${r.msPerStep.toFixed(1)} ms/step, PyTorch beside them ${bySet[r.kernels]!.toFixed(1)}: ${(r.msPerStep / bySet[r.kernels]!).toFixed(2)}x (target at most 3x)`,
    );
  }
  return {
    name: peer.name,
    threads: peer.threads,
    msPerStep: ms,
    msPerStepBySet: bySet,
    steps,
    ourThreads: threads ?? 1,
  };
}

/**
 * jax-js on the same model, shape and browser, after the page's run (on as many threads as ours on wasm), and ours
 * against it, printed; null, saying why, where it cannot train there.
 */
async function jaxFigures(
  device: 'wasm' | 'webgpu',
  o: TrainBenchOptions,
  steps: number,
  threads: number | null,
  results: TrainBenchResult[],
): Promise<JaxPeer | null> {
  console.log(
    `\nbrowser peer: jax-js on ${device}, ${steps} timed step${steps === 1 ? '' : 's'} after one that compiles…`,
  );
  const jax = await timeJaxPeer({ device, batch: o.batch, size: o.size, steps, threads });
  if ('missing' in jax) {
    console.log(`  ${jax.missing}`);
    return null;
  }
  console.log(`  ${jax.name}: ${jax.msPerStep.toFixed(0)} ms/step (median of ${jax.steps})`);
  for (const r of results)
    console.log(
      `  ${r.kernels} kernels ${r.msPerStep.toFixed(1)} ms/step: ${(jax.msPerStep / r.msPerStep).toFixed(1)}x faster`,
    );
  return jax;
}

/** With the GPU's work dropped only the CPU's part of a step is left: the fastest any GPU could make it here. */
function reportHostOnly(o: TrainBenchOptions, machine: string, results: TrainBenchResult[]): void {
  for (const r of results) {
    console.log(`${o.arch}, ${r.kernels} kernels, GPU work dropped (${machine})`);
    console.log(
      `  on the CPU      ${r.hostMsPerStep.toFixed(1)} ms to record a step; ${r.msPerStep.toFixed(1)} ms with its read-back; ${r.dispatchesPerStep} dispatches`,
    );
    console.log(
      `  at batch ${o.batch}, no GPU can train faster than ${((o.batch * 1000) / r.msPerStep).toFixed(0)} images/s with this CPU`,
    );
  }
  if (results.length === 2)
    console.log(`\nstock / ours, CPU time per step: ${(results[0]!.msPerStep / results[1]!.msPerStep).toFixed(2)}x`);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
