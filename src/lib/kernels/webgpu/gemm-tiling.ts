// How our WebGPU forward convolution and input gradient (./implicit-gemm.ts) cut up their work, as a short spec a
// benchmark can sweep on a GPU: 'm64n32r8k16' = a block of 64 output positions x 32 output channels per workgroup,
// 8 positions x 4 channels of it per thread, 16 of the reduction's terms (kernel row, column, channel) staged in
// workgroup memory at a time. Then optionally 'v': read 4 channels per load (layers whose channels are not
// multiples of 4 use the same tiling without it), and 'p': load the next terms into registers while the current ones
// are multiplied (prefetch). Plans by filter shape are written as the filter gradient's (./filter-tiling.ts).
import { filterKey, planSpec, readPlanWith, type TilingPlan } from './filter-tiling';

export interface GemmTiling {
  /** Output positions (batch, row, column) per workgroup. */
  tileM: number;
  /** Output channels per workgroup. */
  tileN: number;
  /** Positions per thread; each thread holds rowsPerThread x 4 sums. */
  rowsPerThread: 4 | 8;
  /** Terms of the reduction staged in workgroup memory per step. */
  tileK: number;
  /** Read 4 channels per load (vec4), where the layer's channels allow. */
  vec4: boolean;
  /** Load the next terms into registers while multiplying the current ones. */
  prefetch: boolean;
}

/** Threads per workgroup along x (output channels, 4 a thread) and y (positions). */
export const gemmThreadsOf = (t: GemmTiling): [number, number] => [t.tileN / 4, t.tileM / t.rowsPerThread];

/**
 * How a workgroup's threads share staging one step's tiles: a thread keeps one column (of values, or of 4-value
 * groups with vec4) and takes every step-th row. The input tile (positions x terms) is read along the terms, whose
 * channels lie next to each other in memory; the forward pass's filter tile (terms x output channels) along the
 * channels; the input gradient's filter tile (output channels of the layer's input x terms) along the terms.
 */
export interface GemmStaging {
  /** The input (forward) or output gradient (input gradient) tile: columns along the terms, rows the positions. */
  colsA: number;
  stepA: number;
  perA: number;
  /** The forward pass's filter tile: columns along the output channels, rows the terms. */
  colsB: number;
  stepB: number;
  perB: number;
  /** The input gradient's filter tile: columns along the terms, rows the channels it computes. */
  colsBt: number;
  stepBt: number;
  perBt: number;
}

export function gemmStagingOf(t: GemmTiling): GemmStaging {
  const [x, y] = gemmThreadsOf(t);
  const threads = x * y;
  const width = t.vec4 ? 4 : 1;
  const colsA = t.tileK / width;
  const colsB = t.tileN / width;
  const [stepA, stepB] = [threads / colsA, threads / colsB];
  return {
    colsA,
    stepA,
    perA: t.tileM / stepA,
    colsB,
    stepB,
    perB: t.tileK / stepB,
    colsBt: colsA,
    stepBt: stepA,
    perBt: t.tileN / stepA,
  };
}

/** WebGPU's default limits, which every adapter meets. */
const MAX_THREADS = 256;
const MAX_WORKGROUP_BYTES = 16384;

export const gemmTilingSpec = (t: GemmTiling): string =>
  `m${t.tileM}n${t.tileN}r${t.rowsPerThread}k${t.tileK}${t.vec4 ? 'v' : ''}${t.prefetch ? 'p' : ''}`;

/** Why a tiling cannot be built, or null when it can. */
function problem(t: GemmTiling): string | null {
  if (t.rowsPerThread !== 4 && t.rowsPerThread !== 8) return 'positions per thread (r) must be 4 or 8';
  if (t.tileN % 4 || t.tileM % t.rowsPerThread || t.tileN < 4 || t.tileM < t.rowsPerThread)
    return "the block (m, n) must be whole multiples of a thread's r positions and 4 channels";
  if (t.tileK < 1 || (t.vec4 && t.tileK % 4))
    return 'the staged terms (k) must be at least 1, and a multiple of 4 with 4-channel loads';
  const [x, y] = gemmThreadsOf(t);
  const threads = x * y;
  if (threads > MAX_THREADS) return `${threads} threads per workgroup, more than ${MAX_THREADS}`;
  const s = gemmStagingOf(t);
  if (![s.stepA, s.stepB, s.perA, s.perB, s.perBt].every((v) => Number.isInteger(v) && v >= 1)) {
    return `${threads} threads cannot stage the tiles evenly (${s.colsA} columns of ${t.tileM} and ${t.tileN} rows, ${s.colsB} of ${t.tileK})`;
  }
  const bytes = t.tileK * (t.tileM + t.tileN) * 4;
  if (bytes > MAX_WORKGROUP_BYTES) return `${bytes} bytes of workgroup memory, more than ${MAX_WORKGROUP_BYTES}`;
  if (t.vec4) {
    const without = problem({ ...t, vec4: false });
    if (without) return `without 4-channel loads (for layers that cannot have them): ${without}`;
  }
  return null;
}

/** The tiling a spec names; throws with the reason when it is malformed or cannot be built. */
export function parseGemmTiling(spec: string): GemmTiling {
  const m = /^m(\d+)n(\d+)r(\d+)k(\d+)(v?)(p?)$/.exec(spec);
  if (!m)
    throw new Error(
      `"${spec}" is not a convolution tiling; write it as m64n32r8k16, then v for 4-channel loads, p to prefetch.`,
    );
  const t: GemmTiling = {
    tileM: Number(m[1]),
    tileN: Number(m[2]),
    rowsPerThread: Number(m[3]) as 4 | 8,
    tileK: Number(m[4]),
    vec4: m[5] === 'v',
    prefetch: m[6] === 'p',
  };
  const why = problem(t);
  if (why) throw new Error(`Tiling ${spec} cannot be built: ${why}.`);
  return t;
}

/**
 * The tilings every test runs and `npm run bench:conv` compares by default, one of each family: the default
 * (64 x 32 blocks, 8 x 4 per thread, 4-channel loads); 32 x 32 blocks with 4 x 4 per thread and single-channel loads
 * (more workgroups for small layers); 64 x 64 blocks with 4 x 4 per thread (256 threads); 64 x 64 with 8 x 4 and
 * prefetching. The device script sweeps more (scripts/device/run-bench.sh); the benchmark checks each against stock.
 */
export const GEMM_TILINGS = ['m64n32r8k16v', 'm32n32r4k16', 'm64n64r4k16v', 'm64n64r8k16vp'] as const;

/** The tiling both kernels use for every layer until a GPU's sweep finds better. */
export const DEFAULT_GEMM_TILING = 'm64n32r8k16v';

/** Which of our two implicit-GEMM convolutions a plan is for. */
export type GemmKernel = 'forward' | 'input';

const normalize = (spec: string) => gemmTilingSpec(parseGemmTiling(spec));
const DEFAULT_PLAN = readPlanWith(DEFAULT_GEMM_TILING, null, normalize, DEFAULT_GEMM_TILING);

/** The default plan as planSpec writes it. */
export const DEFAULT_GEMM_PLAN_SPEC = planSpec(DEFAULT_PLAN);

/** The plan a text names (layers it does not name get the default's); throws, saying why, on a bad entry. */
export const parseGemmPlan = (text: string): TilingPlan =>
  readPlanWith(text, DEFAULT_PLAN.rest, normalize, DEFAULT_GEMM_TILING);

const plans: Record<GemmKernel, TilingPlan> = { forward: DEFAULT_PLAN, input: DEFAULT_PLAN };

/**
 * Makes every call of one kernel follow a tiling or plan (benchmarks and tests); null goes back to the default. Throws
 * on a bad spec, leaving the plan as it was.
 */
export function setGemmTiling(kernel: GemmKernel, text: string | null): void {
  plans[kernel] = text === null ? DEFAULT_PLAN : parseGemmPlan(text);
}

/** The plan in force for a kernel, written out as planSpec writes it. */
export const gemmTilingPlan = (kernel: GemmKernel): string => planSpec(plans[kernel]);

/**
 * The tiling a layer with this filter shape [rows, columns, in, out] gets: the plan's, without 4-channel loads where
 * the channels are not multiples of 4.
 */
export function gemmTilingFor(kernel: GemmKernel, filterShape: readonly [number, number, number, number]): string {
  const plan = plans[kernel];
  const spec = plan.byFilter.get(filterKey(filterShape)) ?? plan.rest;
  const [, , inChannels, outChannels] = filterShape;
  return inChannels % 4 || outChannels % 4 ? spec.replace('v', '') : spec;
}
