// The per-layer kernel benchmark (npm run bench:conv): every convolution of ResNet-S at the benchmark's batch and
// size, timed kernel by kernel: the forward pass, the input gradient, and the filter gradient stock and with each of
// our tilings. On WebGPU with timestamp queries the times are GPU time; elsewhere, wall time with a read-back.
import * as tf from '@tensorflow/tfjs-core';
import { archConfig } from '../model/archs';
import { convFlops, convLayers, type ConvLayer } from '../model/conv-layers';
import { backpropFilter, backpropInput, type Pad } from '../engine/kernels/conv-grad-cases';
import { kernelSet, setKernelSet } from '../engine/kernel-set';
import { FILTER_TILINGS, setFilterTiling, type FilterTilingName } from '../gpu/conv2d-backprop-filter';
import { profileDispatches } from '../gpu/dispatch-profile';
import { median } from './stats';

export interface ConvBenchOptions {
  arch: string;
  batch: number;
  size: number;
  /** Timed runs of each kernel (after one warm-up run, which also compiles it). */
  repeats: number;
  /** Our filter-gradient tilings to time; all of them by default. */
  tilings?: FilterTilingName[];
}

export interface ConvKernelTime {
  layer: string;
  /** 'forward', 'input gradient', 'filter gradient'. */
  kernel: string;
  /** 'stock', or our tiling's name. */
  variant: string;
  /** Median over the repeats. */
  ms: number;
  /** Floating-point operations per second, in units of 10^12. */
  tflops: number;
}

export interface ConvBenchResult {
  /** 'gpu': summed dispatch times from timestamp queries; 'wall': each run timed to its read-back. */
  clock: 'gpu' | 'wall';
  layers: ConvLayer[];
  times: ConvKernelTime[];
}

const padOf = (l: ConvLayer): Pad => [[0, 0], [l.pad, l.pad], [l.pad, l.pad], [0, 0]];

/** Median time of `run` (which returns a new tensor), by the GPU's clock where it has one. */
async function timeKernel(run: () => tf.Tensor, repeats: number): Promise<{ ms: number; clock: 'gpu' | 'wall' }> {
  const once = async () => {
    const out = run();
    await out.data();
    out.dispose();
  };
  await once();
  const gpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const dispatches = await profileDispatches(tf.backend(), once);
    if (dispatches) {
      gpu.push(dispatches.reduce((s, d) => s + d.ms, 0));
    } else {
      const t0 = performance.now();
      await once();
      wall.push(performance.now() - t0);
    }
  }
  return gpu.length ? { ms: median(gpu), clock: 'gpu' } : { ms: median(wall), clock: 'wall' };
}

export async function benchConvLayers(o: ConvBenchOptions, onProgress: (what: string) => void = () => {}): Promise<ConvBenchResult> {
  const layers = convLayers(archConfig(o.arch, 37), o.batch, o.size);
  const tilings = o.tilings ?? (Object.keys(FILTER_TILINGS) as FilterTilingName[]);
  const times: ConvKernelTime[] = [];
  let clock: 'gpu' | 'wall' = 'gpu';
  const before = kernelSet();
  try {
    for (const l of layers) {
      const fs = [l.k, l.k, l.x[3], l.cout] as [number, number, number, number];
      const x = tf.randomNormal(l.x) as tf.Tensor4D;
      const w = tf.randomNormal(fs) as tf.Tensor4D;
      const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, w, l.stride, padOf(l)).shape)) as tf.Tensor4D;
      const variants: [string, string, () => tf.Tensor, () => void][] = [
        ['forward', 'stock', () => tf.conv2d(x, w, l.stride, padOf(l)), () => setKernelSet('stock')],
        ['input gradient', 'stock', () => backpropInput(dy, w, l.x, l.stride, padOf(l)), () => setKernelSet('stock')],
        ['filter gradient', 'stock', () => backpropFilter(x, dy, fs, l.stride, padOf(l)), () => setKernelSet('stock')],
        ...tilings.map((t): [string, string, () => tf.Tensor, () => void] => [
          'filter gradient', t, () => backpropFilter(x, dy, fs, l.stride, padOf(l)), () => (setKernelSet('ours'), setFilterTiling(t)),
        ]),
      ];
      try {
        for (const [kernel, variant, run, use] of variants) {
          onProgress(`${l.name}: ${kernel}, ${variant}`);
          use();
          const t = await timeKernel(run, o.repeats);
          if (t.clock === 'wall') clock = 'wall';
          times.push({ layer: l.name, kernel, variant, ms: t.ms, tflops: convFlops(l) / (t.ms * 1e9) });
        }
      } finally {
        tf.dispose([x, w, dy]);
      }
    }
  } finally {
    setKernelSet(before);
    setFilterTiling(null);
  }
  return { clock, layers, times };
}
