// The per-layer kernel benchmark (npm run bench:conv): every convolution of ResNet-S at the benchmark's batch and
// size, timed kernel by kernel: the forward pass, the input gradient, and the filter gradient stock and with each of
// our tilings. On WebGPU with timestamp queries the times are GPU time; elsewhere, wall time with a read-back.
import * as tf from '@tensorflow/tfjs-core';
import { archConfig } from '../model/archs';
import { convFlops, convLayers, type ConvLayer } from '../model/conv-layers';
import { backpropFilter, backpropInput, type Pad } from '../engine/kernels/conv-grad-cases';
import { kernelSet, setKernelSet } from '../engine/kernel-set';
import { FILTER_TILINGS, setFilterTiling } from '../gpu/filter-tiling';
import { profileDispatches } from '../gpu/dispatch-profile';
import { median } from './stats';

export interface ConvBenchOptions {
  arch: string;
  batch: number;
  size: number;
  /** Timed runs of each kernel (after one warm-up run, which also compiles it). */
  repeats: number;
  /** Our filter-gradient tilings to time; all of them by default. */
  tilings?: readonly string[];
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
  /** Our filter gradients only: the largest difference from the stock kernel's result, relative to its largest value. */
  error: number | null;
}

/**
 * A result that differs from the stock kernel's by more than this is wrong, whatever its speed. Summing 10^5
 * products in another order moves a float32 result by about 1e-5 of its size; a wrong tiling, by its whole size.
 */
export const MAX_RELATIVE_ERROR = 1e-3;

/** max |got - want| / max |want|. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return Number.isNaN(diff) ? Infinity : diff / (scale || 1);
}

export interface ConvBenchResult {
  /** 'gpu': summed dispatch times from timestamp queries; 'wall': each run timed to its read-back. */
  clock: 'gpu' | 'wall';
  layers: ConvLayer[];
  times: ConvKernelTime[];
}

const padOf = (l: ConvLayer): Pad => [[0, 0], [l.pad, l.pad], [l.pad, l.pad], [0, 0]];

/**
 * Median time of `run` (which returns a new tensor), by the GPU's clock where it has one, and the result of its first
 * (warm-up) run.
 */
async function timeKernel(run: () => tf.Tensor, repeats: number): Promise<{ ms: number; clock: 'gpu' | 'wall'; result: Float32Array }> {
  let result: Float32Array = new Float32Array();
  const once = async () => {
    const out = run();
    result = (await out.data()) as Float32Array;
    out.dispose();
  };
  await once();
  const first = result;
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
  return gpu.length ? { ms: median(gpu), clock: 'gpu', result: first } : { ms: median(wall), clock: 'wall', result: first };
}

export async function benchConvLayers(o: ConvBenchOptions, onProgress: (what: string) => void = () => {}): Promise<ConvBenchResult> {
  const layers = convLayers(archConfig(o.arch, 37), o.batch, o.size);
  const tilings = o.tilings ?? FILTER_TILINGS;
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
        let stockFilter: Float32Array | null = null;
        for (const [kernel, variant, run, use] of variants) {
          onProgress(`${l.name}: ${kernel}, ${variant}`);
          use();
          const t = await timeKernel(run, o.repeats);
          if (t.clock === 'wall') clock = 'wall';
          const filter = kernel === 'filter gradient';
          if (filter && variant === 'stock') stockFilter = t.result;
          const error = filter && variant !== 'stock' ? relativeError(t.result, stockFilter!) : null;
          times.push({ layer: l.name, kernel, variant, ms: t.ms, tflops: convFlops(l) / (t.ms * 1e9), error });
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
