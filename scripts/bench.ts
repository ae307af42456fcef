#!/usr/bin/env node
// npm run bench -- [--backend cpu|wasm|webgpu] [--kernels ours|stock|both] [--batch 64] [--size 96] [--steps 10]
//                  [--arch resnet-s] [--submit-batch N] [--json <file>] [--record]
// Trains ResNet-S on synthetic data through the real engine (our loop, our Adam) and prints median ms per step,
// images/s, GPU dispatches per step, the kernels that take the most time, and an inference figure; with both kernel
// sets, the ours/stock ratio from the same run. --record appends the figures to benchmarks/results.json.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { nodeBackend } from './node-backend';
import { isBackendName } from '../src/lib/engine/backend-names';
import { buildResNet, forward } from '../src/lib/model/resnet-s';
import { archConfig } from '../src/lib/model/archs';
import { Learner } from '../src/lib/train/learner';
import { syntheticData } from '../src/lib/train/synthetic-data';
import { median } from '../src/lib/bench/stats';
import { augmentBatch } from '../src/lib/data/gpu-augment';
import { drawAug, AUG_DEFAULTS } from '../src/lib/data/augment';
import { seededRng } from '../src/lib/data/rng';
import { setKernelSet, type KernelSet } from '../src/lib/gpu/register';
import { countDispatches } from '../src/lib/gpu/dispatch-counter';
import { recordRuns, type RecordedRun } from './bench/record';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'cpu' }, batch: { type: 'string', default: '64' }, size: { type: 'string', default: '96' },
      steps: { type: 'string', default: '10' }, arch: { type: 'string', default: 'resnet-s' }, json: { type: 'string' },
      kernels: { type: 'string', default: 'both' }, 'submit-batch': { type: 'string' }, record: { type: 'boolean' },
    },
  });
  if (!isBackendName(values.backend)) throw new Error('--backend must be cpu, wasm or webgpu');
  if (!['ours', 'stock', 'both'].includes(values.kernels)) throw new Error('--kernels must be ours, stock or both');
  const batch = Number(values.batch);
  const size = Number(values.size);
  const steps = Number(values.steps);
  const backend = await nodeBackend(values.backend);
  // How many dispatches TF.js's WebGPU backend records before it submits them (its default is 15).
  if (values['submit-batch']) tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number(values['submit-batch']));
  const dispatches = countDispatches(tf.backend());
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  const adapter = info ? [info.vendor, info.architecture].filter(Boolean).join(' ') : '';
  const data = syntheticData({ classes: 37, trainItems: batch, validItems: batch, size, batchSize: batch, seed: 1 });
  const learn = new Learner(buildResNet(archConfig(values.arch, 37), 1), data);
  const it = data.trainBatches(0)[Symbol.asyncIterator]();
  const { x, y } = (await it.next()).value as { x: tf.Tensor4D; y: tf.Tensor1D };
  const lrs = [1e-3, 1e-3, 1e-3];
  const moms = [0.9, 0.9, 0.9];
  const sets: KernelSet[] = values.kernels === 'both' ? ['stock', 'ours'] : [values.kernels as KernelSet];
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  for (const set of sets) {
    setKernelSet(set);
    results.push(await measure(set));
  }
  if (results.length === 2) {
    const [a, b] = results;
    console.log(`\nours / stock training throughput: ${(b!.imagesPerS / a!.imagesPerS).toFixed(2)}x; inference: ${(b!.inferenceImagesPerS / a!.inferenceImagesPerS).toFixed(2)}x`);
  }

  async function inferOnce(): Promise<tf.Tensor> {
    const out = tf.tidy(() => forward(learn.model, x, false));
    await out.data();
    return out;
  }

  async function measure(set: KernelSet) {
    for (let i = 0; i < 2; i++) await learn.trainStep(x, y, lrs, moms); // warm-up: shader compilation, allocation
    // Inference first, before any profiling, so nothing the profiler leaves behind can slow it.
    for (let i = 0; i < 2; i++) tf.dispose(await inferOnce()); // warm-up: shader compilation
    const infer: number[] = [];
    for (let i = 0; i < Math.max(3, steps); i++) {
      const t0 = performance.now();
      tf.dispose(await inferOnce());
      infer.push(performance.now() - t0);
    }
    dispatches?.reset();
    tf.dispose(await inferOnce());
    const inferenceDispatches = dispatches ? dispatches.count : null;

    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await learn.trainStep(x, y, lrs, moms); // reads the loss back, so the step has finished
      times.push(performance.now() - t0);
    }
    dispatches?.reset();
    await learn.trainStep(x, y, lrs, moms);
    const dispatchesPerStep = dispatches ? dispatches.count : null;
    const profile = await tf.profile(async () => {
      await learn.trainStep(x, y, lrs, moms);
    });
    const byKernel = new Map<string, { calls: number; ms: number }>();
    for (const k of profile.kernels) {
      const e = byKernel.get(k.name) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      byKernel.set(k.name, e);
    }
    const top = [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 6);
    // The batch step of the data pipeline on the same backend: presized 160 px items -> augmented size px batch.
    const items = tf.randomUniform([batch, 160, 160, 3], 0, 255) as tf.Tensor4D;
    const rng = seededRng(3);
    const augTimes: number[] = [];
    for (let i = 0; i < Math.max(3, steps) + 1; i++) {
      const draws = Array.from({ length: batch }, () => drawAug(rng, { ...AUG_DEFAULTS, minScale: 0.75 }));
      const t0 = performance.now();
      const out = augmentBatch(items, draws, size);
      await out.data();
      out.dispose();
      if (i > 0) augTimes.push(performance.now() - t0);
    }
    items.dispose();
    const ms = median(times);
    const result = {
      kernels: set,
      date: new Date().toISOString(),
      machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores${adapter ? `; WebGPU adapter ${adapter}` : ''}`,
      backend, arch: values.arch, batch, size, steps,
      msPerStep: ms, imagesPerS: (batch * 1000) / ms,
      kernelCallsPerStep: profile.kernels.length,
      dispatchesPerStep,
      inferenceImagesPerS: (batch * 1000) / median(infer),
      inferenceDispatches,
      augmentMs: median(augTimes),
      augmentShareOfStep: median(augTimes) / ms,
      topKernels: top.map(([name, e]) => ({ name, calls: e.calls, ms: e.ms })),
    };
    console.log(`${values.arch}, batch ${batch}, ${size} px, backend ${backend}, ${set} kernels (${result.machine})`);
    console.log(`  training step   ${ms.toFixed(1)} ms median of ${steps}  = ${result.imagesPerS.toFixed(1)} images/s`);
    console.log(`  kernel calls    ${result.kernelCallsPerStep} per step (TF.js kernels)${result.dispatchesPerStep === null ? '' : `; GPU dispatches ${result.dispatchesPerStep}`}`);
    console.log(`  inference       ${result.inferenceImagesPerS.toFixed(1)} images/s${inferenceDispatches === null ? '' : `; GPU dispatches ${inferenceDispatches}`}`);
    console.log(`  batch step      ${result.augmentMs.toFixed(1)} ms to augment ${batch} images (160 -> ${size} px) = ${(result.augmentShareOfStep * 100).toFixed(1)}% of a training step (target < 10%)`);
    console.log('  kernels by time in one step:');
    for (const k of result.topKernels) console.log(`    ${k.name.padEnd(24)} ${String(k.calls).padStart(4)} calls  ${k.ms.toFixed(1)} ms`);
    return result;
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  if (values.record) {
    const command = `npm run bench -- --backend ${values.backend} --kernels ${values.kernels} --batch ${batch} --size ${size} --steps ${steps}${values.arch === 'resnet-s' ? '' : ` --arch ${values.arch}`}${values['submit-batch'] ? ` --submit-batch ${values['submit-batch']}` : ''}`;
    const runs: RecordedRun[] = results.flatMap((r) => [
      {
        date: r.date, machine: r.machine, command, backend,
        metric: `${values.arch} training step, batch ${batch} at ${size} px, ${r.kernels} kernels`,
        value: Number(r.imagesPerS.toFixed(1)),
        unit: `images/s (${r.msPerStep.toFixed(1)} ms/step${r.dispatchesPerStep === null ? '' : `; ${r.dispatchesPerStep.toLocaleString('en')} GPU dispatches`})`,
      },
      {
        date: r.date, machine: r.machine, command, backend,
        metric: `${values.arch} inference, batch ${batch} at ${size} px, ${r.kernels} kernels`,
        value: Number(r.inferenceImagesPerS.toFixed(1)),
        unit: `images/s${r.inferenceDispatches === null ? '' : ` (${r.inferenceDispatches} GPU dispatches)`}`,
      },
    ]);
    recordRuns(runs);
  }
  tf.dispose([x, y]);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
