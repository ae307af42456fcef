// The training-step benchmark, the same in Node (npm run bench) and in the browser's worker (the Performance page,
// npm run bench -- --browser): ResNet-S on synthetic data through the real engine, for each kernel set in turn:
// inference first (before any profiling can disturb it), then training steps, GPU dispatches, and the kernels that
// take the most time in one profiled step.
import * as tf from '@tensorflow/tfjs-core';
import { buildResNet, disposeModel, forward } from '../model/resnet-s';
import { archConfig } from '../model/archs';
import { Learner } from '../train/learner';
import { syntheticData } from '../train/synthetic-data';
import { kernelSet, setKernelSet, type KernelSet } from '../kernels/switches';
import { countDispatches } from '../kernels/webgpu/dispatch-counter';
import { byShader, profileDispatches } from '../kernels/webgpu/dispatch-profile';
import { median } from './stats';
import { yieldToEventLoop } from '../train/yield';

export interface TrainBenchOptions {
  arch: string;
  batch: number;
  size: number;
  /** Timed training steps (after two warm-up steps). */
  steps: number;
  kernels: KernelSet[];
  /** Whether to profile one step for the top kernels (slow on a software GPU). */
  profile: boolean;
  /**
   * Run after each timed step, outside its time: a peer engine's step (npm run bench's PyTorch peer), so the two are
   * measured interleaved, under the same load.
   */
  afterStep?: () => Promise<void>;
}

export interface TrainBenchResult {
  kernels: KernelSet;
  backend: string;
  msPerStep: number;
  /** CPU time to record one step (TF.js and our code issuing its kernels), before waiting for the device. */
  hostMsPerStep: number;
  imagesPerS: number;
  /** TF.js kernel calls in one profiled step, when profiled with tf.profile (not WebGPU). */
  kernelCallsPerStep: number | null;
  /** GPU time of one step: its dispatches' times summed (WebGPU, when profiled). */
  gpuMsPerStep: number | null;
  /** GPU dispatches in one step (WebGPU only). */
  dispatchesPerStep: number | null;
  inferenceImagesPerS: number;
  inferenceDispatches: number | null;
  /** Where one profiled step's time goes: by shader on WebGPU (GPU time), by TF.js kernel elsewhere. */
  topKernels: { name: string; calls: number; ms: number }[];
  /** On wasm in the browser: the CPU threads it computed on (the engine's worker adds it). */
  threads?: number;
}

/**
 * With `shouldStop`, the event loop gets a turn between steps (so a stop message can arrive) and a true answer ends
 * the measurement at once: the result is then null.
 */
export function benchTraining(o: TrainBenchOptions, onProgress?: (what: string) => void): Promise<TrainBenchResult[]>;
export function benchTraining(
  o: TrainBenchOptions,
  onProgress: (what: string) => void,
  shouldStop: () => boolean,
): Promise<TrainBenchResult[] | null>;
export async function benchTraining(
  o: TrainBenchOptions,
  onProgress: (what: string) => void = () => {},
  shouldStop?: () => boolean,
): Promise<TrainBenchResult[] | null> {
  const dispatches = countDispatches(tf.backend());
  const data = syntheticData({
    classes: 37,
    trainItems: o.batch,
    validItems: o.batch,
    size: o.size,
    batchSize: o.batch,
    seed: 1,
  });
  const learn = new Learner(buildResNet(archConfig(o.arch, 37), 1), data);
  const { x, y } = (await data.trainBatches(0)[Symbol.asyncIterator]().next()).value as {
    x: tf.Tensor4D;
    y: tf.Tensor1D;
  };
  const lrs = [1e-3, 1e-3, 1e-3];
  const moms = [0.9, 0.9, 0.9];
  const stopped = async () => {
    if (!shouldStop) return false;
    await yieldToEventLoop();
    return shouldStop();
  };
  const step = () => learn.trainStep(x, y, lrs, moms); // reads the loss back, so the step has finished
  const infer = async () => {
    const out = tf.tidy(() => forward(learn.model, x, false));
    await out.data();
    out.dispose();
  };
  const results: TrainBenchResult[] = [];
  const before = kernelSet();
  try {
    for (const set of o.kernels) {
      setKernelSet(set);
      onProgress(`${set} kernels: warming up (compiling shaders)…`);
      for (let i = 0; i < 2; i++) {
        if (await stopped()) return null;
        await step();
      }
      for (let i = 0; i < 2; i++) await infer();
      const inferTimes: number[] = [];
      for (let i = 0; i < Math.max(3, o.steps); i++) {
        const t0 = performance.now();
        await infer();
        inferTimes.push(performance.now() - t0);
      }
      dispatches?.reset();
      await infer();
      const inferenceDispatches = dispatches ? dispatches.count : null;
      const times: number[] = [];
      const hostTimes: number[] = [];
      for (let i = 0; i < o.steps; i++) {
        if (await stopped()) return null;
        onProgress(`${set} kernels: training step ${i + 1} of ${o.steps}…`);
        const t0 = performance.now();
        const loss = learn.issueStep(x, y, lrs, moms);
        hostTimes.push(performance.now() - t0);
        await loss.data();
        times.push(performance.now() - t0);
        loss.dispose();
        await o.afterStep?.();
      }
      dispatches?.reset();
      await step();
      const dispatchesPerStep = dispatches ? dispatches.count : null;
      let kernelCallsPerStep: number | null = null;
      let gpuMsPerStep: number | null = null;
      let topKernels: TrainBenchResult['topKernels'] = [];
      if (o.profile) {
        onProgress(`${set} kernels: profiling one step…`);
        // On WebGPU the time of every dispatch on the GPU, ours included; elsewhere TF.js's kernel timings.
        const gpu = await profileDispatches(tf.backend(), async () => {
          await step();
        });
        if (gpu) {
          const shaders = byShader(gpu);
          gpuMsPerStep = shaders.reduce((s, k) => s + k.ms, 0);
          topKernels = shaders.slice(0, 8);
        } else {
          const profile = await tf.profile(async () => {
            await step();
          });
          kernelCallsPerStep = profile.kernels.length;
          topKernels = byShader(
            profile.kernels.map((k) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0 })),
          ).slice(0, 6);
        }
      }
      const ms = median(times);
      results.push({
        kernels: set,
        backend: tf.getBackend(),
        msPerStep: ms,
        hostMsPerStep: median(hostTimes),
        gpuMsPerStep,
        imagesPerS: (o.batch * 1000) / ms,
        kernelCallsPerStep,
        dispatchesPerStep,
        inferenceImagesPerS: (o.batch * 1000) / median(inferTimes),
        inferenceDispatches,
        topKernels,
      });
    }
  } finally {
    dispatches?.restore();
    setKernelSet(before);
    tf.dispose([x, y]);
    learn.dispose();
    disposeModel(learn.model);
  }
  return results;
}
