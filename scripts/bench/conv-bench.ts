// The per-layer kernel benchmark (npm run bench:conv): every convolution of ResNet-S at the benchmark's batch and
// size, timed kernel by kernel: each of the three convolutions stock, with TF.js's alternatives, and (WebGPU) with
// each of our tilings: the forward pass and the input gradient share one shader's tilings, the filter gradient has its
// own. On WebGPU with timestamp queries the times are GPU time;
// elsewhere, wall time with a read-back.
import * as tf from '@tensorflow/tfjs-core';
import { archConfig } from '../../src/lib/model/archs';
import { convFlops, convLayers, type ConvLayer } from '../../src/lib/model/conv-layers';
import { backpropFilter, backpropInput, type Pad } from '../../src/testing/conv-grad-cases';
import { kernelSet, setKernelSet } from '../../src/lib/kernels/switches';
import { FILTER_TILINGS, filterKey, planSpec, setFilterTiling } from '../../src/lib/kernels/webgpu/filter-tiling';
import { GEMM_TILINGS, setGemmTiling } from '../../src/lib/kernels/webgpu/gemm-tiling';
import { profileDispatches } from '../../src/lib/kernels/webgpu/dispatch-profile';
import { median } from '../../src/lib/bench/stats';

export interface ConvBenchOptions {
  arch: string;
  batch: number;
  size: number;
  /** Timed runs of each kernel (after one warm-up run, which also compiles it). */
  repeats: number;
  /** Our filter-gradient tilings to time; the presets by default. */
  tilings?: readonly string[];
  /** Our forward and input-gradient tilings to time (./gemm-tiling.ts); the presets by default. */
  gemmTilings?: readonly string[];
}

export interface ConvKernelTime {
  layer: string;
  /** 'forward', 'input gradient', 'filter gradient'. */
  kernel: string;
  /** 'stock', one of TF.js's alternatives (STOCK_ALTERNATIVES), our tiling's spec (WebGPU), or 'ours' (wasm). */
  variant: string;
  /** Median over the repeats. */
  ms: number;
  /** Floating-point operations per second, in units of 10^12. */
  tflops: number;
  /** For all but stock: the largest difference from the stock kernel's result, relative to its largest value. */
  error: number | null;
}

/**
 * A result that differs from the stock kernel's by more than this is wrong, whatever its speed. Summing the same
 * products in another order moves a float32 result by far less; a wrong tiling moves it by about its whole size.
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

const padOf = (l: ConvLayer): Pad => [
  [0, 0],
  [l.pad, l.pad],
  [l.pad, l.pad],
  [0, 0],
];

/**
 * Median time of `run` (which returns a new tensor), by the GPU's clock where it has one, and the result of its first
 * (warm-up) run.
 */
async function timeKernel(
  run: () => tf.Tensor,
  repeats: number,
): Promise<{ ms: number; clock: 'gpu' | 'wall'; result: Float32Array }> {
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
  return gpu.length
    ? { ms: median(gpu), clock: 'gpu', result: first }
    : { ms: median(wall), clock: 'wall', result: first };
}

/**
 * TF.js's own alternatives to its default WebGPU convolution kernels, chosen by its flags: the forward pass as an
 * explicit im2col followed by a matmul, and the input gradient as a tiled matmul instead of its direct loop.
 */
export const STOCK_ALTERNATIVES: { kernel: string; variant: string; flag: string; value: boolean }[] = [
  { kernel: 'forward', variant: 'im2col', flag: 'WEBGPU_CONV_SEPARATE_IM2COL_SHADER', value: true },
  { kernel: 'input gradient', variant: 'mm', flag: 'WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', value: false },
];

interface Variant {
  kernel: string;
  variant: string;
  run: () => tf.Tensor;
  /** Switches to this variant: the kernel set, our tiling, TF.js's flags. */
  use: () => void;
}

export async function benchConvLayers(
  o: ConvBenchOptions,
  onProgress: (what: string) => void = () => {},
): Promise<ConvBenchResult> {
  const layers = convLayers(archConfig(o.arch, 37), o.batch, o.size);
  const tilings = o.tilings ?? FILTER_TILINGS;
  const gemmTilings = o.gemmTilings ?? GEMM_TILINGS;
  const times: ConvKernelTime[] = [];
  let clock: 'gpu' | 'wall' = 'gpu';
  const before = kernelSet();
  // TF.js's alternatives and our tilings exist on WebGPU only; on wasm our two gradient kernels are one variant each.
  const webgpu = tf.getBackend() === 'webgpu';
  const wasm = tf.getBackend() === 'wasm';
  const alternatives = webgpu ? STOCK_ALTERNATIVES : [];
  const defaults = new Map(alternatives.map((a) => [a.flag, tf.env().getBool(a.flag)]));
  const stock = (flag?: string, value?: boolean) => () => {
    setKernelSet('stock');
    for (const [f, v] of defaults) tf.env().set(f, f === flag ? value! : v);
  };
  /** Our variants of a kernel: each kernel's tilings on WebGPU, the two gradients on wasm. */
  const ours = (kernel: string, run: () => tf.Tensor): Variant[] => {
    if (webgpu && kernel === 'filter gradient')
      return tilings.map((t) => ({
        kernel,
        variant: t,
        run,
        use: () => (stock()(), setKernelSet('ours'), setFilterTiling(t)),
      }));
    if (webgpu) {
      const which = kernel === 'forward' ? 'forward' : 'input';
      return gemmTilings.map((t) => ({
        kernel,
        variant: t,
        run,
        use: () => (stock()(), setKernelSet('ours'), setGemmTiling(which, t)),
      }));
    }
    if (wasm && kernel !== 'forward') return [{ kernel, variant: 'ours', run, use: () => setKernelSet('ours') }];
    return [];
  };
  try {
    for (const l of layers) {
      const fs = [l.k, l.k, l.x[3], l.cout] as [number, number, number, number];
      const x = tf.randomNormal(l.x) as tf.Tensor4D;
      const w = tf.randomNormal(fs) as tf.Tensor4D;
      const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, w, l.stride, padOf(l)).shape)) as tf.Tensor4D;
      const runs: Record<string, () => tf.Tensor> = {
        forward: () => tf.conv2d(x, w, l.stride, padOf(l)),
        'input gradient': () => backpropInput(dy, w, l.x, l.stride, padOf(l)),
        'filter gradient': () => backpropFilter(x, dy, fs, l.stride, padOf(l)),
      };
      // Each kernel's stock variant first: the others are checked against its result.
      const variants: Variant[] = Object.entries(runs).flatMap(([kernel, run]): Variant[] => [
        { kernel, variant: 'stock', run, use: stock() },
        ...alternatives
          .filter((a) => a.kernel === kernel)
          .map((a) => ({ kernel, variant: a.variant, run, use: stock(a.flag, a.value) })),
        ...ours(kernel, run),
      ]);
      try {
        const reference = new Map<string, Float32Array>();
        for (const { kernel, variant, run, use } of variants) {
          onProgress(`${l.name}: ${kernel}, ${variant}`);
          use();
          const t = await timeKernel(run, o.repeats);
          if (t.clock === 'wall') clock = 'wall';
          if (variant === 'stock') reference.set(kernel, t.result);
          const error = variant === 'stock' ? null : relativeError(t.result, reference.get(kernel)!);
          times.push({ layer: l.name, kernel, variant, ms: t.ms, tflops: convFlops(l) / (t.ms * 1e9), error });
        }
      } finally {
        tf.dispose([x, w, dy]);
      }
    }
  } finally {
    setKernelSet(before);
    setFilterTiling(null);
    setGemmTiling('forward', null);
    setGemmTiling('input', null);
    for (const [f, v] of defaults) tf.env().set(f, v);
  }
  return { clock, layers, times };
}

/** Whether a variant's result differed from stock's on some layer (such a variant is never chosen). */
export const isWrong = (t: ConvKernelTime): boolean => t.error !== null && !(t.error <= MAX_RELATIVE_ERROR);

export interface FastestTilings {
  /** Each layer's fastest tiling and its time, in the layers' order. */
  perLayer: { layer: string; spec: string; ms: number }[];
  /** The tiling with the least time over all layers, and that time; null when none was timed right. */
  single: { spec: string; ms: number } | null;
  /**
   * Each filter shape with the tiling fastest over its layers (a tiling plan, src/lib/kernels/webgpu/filter-tiling.ts:
   * the single fastest for the rest), and the time over all layers; null as above.
   */
  plan: { spec: string; ms: number } | null;
}

/** The kernels that have our tilings on WebGPU: 'forward', 'input gradient', 'filter gradient'. */
export const TILED_KERNELS = ['forward', 'input gradient', 'filter gradient'] as const;

/** Whether a variant is one of our tilings (not stock, one of TF.js's alternatives, or our wasm kernel). */
const isTiling = (variant: string) =>
  variant !== 'stock' && variant !== 'ours' && !STOCK_ALTERNATIVES.some((a) => a.variant === variant);

/**
 * Our fastest tilings of one kernel in a benchmark's result: the one fastest over all layers, and a plan that gives
 * each filter shape its own fastest. Only tilings timed on every layer, and right on every one, count.
 */
export function fastestTilings(
  result: Pick<ConvBenchResult, 'layers' | 'times'>,
  kernel: (typeof TILED_KERNELS)[number] = 'filter gradient',
): FastestTilings {
  const ours = result.times.filter((t) => t.kernel === kernel && isTiling(t.variant));
  const failed = new Set(ours.filter(isWrong).map((t) => t.variant));
  const timeOf = (layer: string, spec: string) => ours.find((t) => t.layer === layer && t.variant === spec)?.ms;
  const specs = [...new Set(ours.map((t) => t.variant))].filter(
    (spec) => !failed.has(spec) && result.layers.every((l) => timeOf(l.name, spec) !== undefined),
  );
  /** The tiling with the least time over these layers, and that time. */
  const fastestOver = (layers: ConvBenchResult['layers']) =>
    specs
      .map((spec) => ({ spec, ms: layers.reduce((s, l) => s + timeOf(l.name, spec)!, 0) }))
      .reduce<{ spec: string; ms: number } | null>((a, b) => (a && a.ms <= b.ms ? a : b), null);
  const single = fastestOver(result.layers);
  if (!single) return { perLayer: [], single: null, plan: null };
  const perLayer = result.layers.map((l) => ({ layer: l.name, ...fastestOver([l])! }));
  const byFilter = new Map<string, string>();
  let ms = 0;
  const groups = Map.groupBy(result.layers, (l) => filterKey([l.k, l.k, l.x[3], l.cout]));
  for (const [key, layers] of groups) {
    const best = fastestOver(layers)!;
    ms += best.ms;
    if (best.spec !== single.spec) byFilter.set(key, best.spec);
  }
  return { perLayer, single, plan: { spec: planSpec({ rest: single.spec, byFilter }), ms } };
}
