// How our WebGPU filter gradient cuts up its work, written as a short spec so a benchmark can sweep tilings on a GPU:
// 'm32n32r4k32w1024' = a 32 x 32 block of dW (filter rows x output channels) per workgroup, 4 x 4 of it per thread,
// 32 output positions staged in workgroup memory at a time, the reduction split until about 1,024 workgroups run.
// Then optionally 'v': read the input and the output gradient 4 channels at a time (one 16-byte load instead of four;
// layers whose channels are not multiples of 4 use the same tiling without it), and 'p': load the next positions into
// registers while the current ones are multiplied (prefetch).

export interface FilterTiling {
  /** Filter rows (kernel row, kernel column, input channel) per workgroup. */
  tileM: number;
  /** Output channels per workgroup. */
  tileN: number;
  /** Filter rows per thread; each thread holds rowsPerThread x 4 sums. */
  rowsPerThread: 4 | 8;
  /** Output positions staged in workgroup memory per step. */
  stageRows: number;
  /** Split the reduction until about this many workgroups run. */
  targetWorkgroups: number;
  /** Read 4 channels per load (vec4), where the layer's channels allow. */
  vec4: boolean;
  /** Load the next positions into registers while multiplying the current ones. */
  prefetch: boolean;
}

/** Threads per workgroup along x (output channels) and y (filter rows). */
export const threadsOf = (t: FilterTiling): [number, number] => [t.tileN / 4, t.tileM / t.rowsPerThread];

/**
 * How a workgroup's threads share the staging of a tile of A (positions x filter rows) and of dy (positions x output
 * channels): a thread keeps one column (of values, or of 4-value groups with vec4) and takes every step-th row.
 */
export interface Staging {
  colsA: number;
  colsB: number;
  stepA: number;
  stepB: number;
  /** Rows each thread stages. */
  perA: number;
  perB: number;
}

export function stagingOf(t: FilterTiling): Staging {
  const [x, y] = threadsOf(t);
  const threads = x * y;
  const width = t.vec4 ? 4 : 1;
  const [colsA, colsB] = [t.tileM / width, t.tileN / width];
  const [stepA, stepB] = [threads / colsA, threads / colsB];
  return { colsA, colsB, stepA, stepB, perA: t.stageRows / stepA, perB: t.stageRows / stepB };
}

/** WebGPU's default limits, which every adapter meets. */
const MAX_THREADS = 256;
const MAX_WORKGROUP_BYTES = 16384;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

export const tilingSpec = (t: FilterTiling): string =>
  `m${t.tileM}n${t.tileN}r${t.rowsPerThread}k${t.stageRows}w${t.targetWorkgroups}${t.vec4 ? 'v' : ''}${t.prefetch ? 'p' : ''}`;

/** Why a tiling cannot be built, or null when it can. */
function problem(t: FilterTiling): string | null {
  if (t.rowsPerThread !== 4 && t.rowsPerThread !== 8) return 'rows per thread (r) must be 4 or 8';
  if (t.tileN % 4 || t.tileM % t.rowsPerThread || t.tileN < 4 || t.tileM < t.rowsPerThread)
    return "the block (m, n) must be whole multiples of a thread's 4 channels and r rows";
  const [x, y] = threadsOf(t);
  const threads = x * y;
  if (threads > MAX_THREADS) return `${threads} threads per workgroup, more than ${MAX_THREADS}`;
  // Staging: every column of a tile must get the same number of threads, and every thread the same number of rows.
  const s = stagingOf(t);
  if (!Number.isInteger(s.stepA) || !Number.isInteger(s.stepB))
    return `${threads} threads cannot stage ${s.colsA}- and ${s.colsB}-column rows evenly`;
  if (!Number.isInteger(s.perA) || !Number.isInteger(s.perB))
    return `${t.stageRows} staged positions do not divide among ${threads} threads`;
  const bytes = t.stageRows * (t.tileM + t.tileN) * 4;
  if (bytes > MAX_WORKGROUP_BYTES) return `${bytes} bytes of workgroup memory, more than ${MAX_WORKGROUP_BYTES}`;
  // The splits are dispatched along one dimension, and there may be up to w of them.
  if (!(t.targetWorkgroups >= 1 && t.targetWorkgroups <= MAX_WORKGROUPS_PER_DIMENSION))
    return `the target workgroups (w) must be from 1 to ${MAX_WORKGROUPS_PER_DIMENSION}`;
  // Layers whose channels are not multiples of 4 run the same tiling without 4-channel loads.
  if (t.vec4) {
    const without = problem({ ...t, vec4: false });
    if (without) return `without 4-channel loads (for layers that cannot have them): ${without}`;
  }
  return null;
}

/** The tiling a spec names; throws with the reason when it is malformed or cannot be built. */
export function parseTiling(spec: string): FilterTiling {
  const m = /^m(\d+)n(\d+)r(\d+)k(\d+)w(\d+)(v?)(p?)$/.exec(spec);
  if (!m)
    throw new Error(
      `"${spec}" is not a tiling; write it as m32n32r4k32w1024, then v for 4-channel loads, p to prefetch.`,
    );
  const t: FilterTiling = {
    tileM: Number(m[1]),
    tileN: Number(m[2]),
    rowsPerThread: Number(m[3]) as 4 | 8,
    stageRows: Number(m[4]),
    targetWorkgroups: Number(m[5]),
    vec4: m[6] === 'v',
    prefetch: m[7] === 'p',
  };
  const why = problem(t);
  if (why) throw new Error(`Tiling ${spec} cannot be built: ${why}.`);
  return t;
}

/**
 * The tilings every test runs and `npm run bench:conv` compares by default: the default; the same split four times
 * as finely (more workgroups in flight on a large GPU, more partial sums to add); 8 x 4 per thread (twice the
 * multiply-adds per value staged); 64 x 64 blocks (each staged value serves twice the outputs); 4-channel loads;
 * prefetching.
 */
export const FILTER_TILINGS = [
  'm32n32r4k32w1024',
  'm32n32r4k32w4096',
  'm64n32r8k32w1024',
  'm64n64r4k16w1024',
  'm64n64r8k16w1024',
  'm32n32r4k32w4096p',
  'm64n32r8k32w4096p',
  'm32n32r4k32w1024v',
  'm64n32r8k32w4096vp',
] as const;

/**
 * The tiling our filter gradient uses: one spec for every layer, or a plan (below) that gives some filter shapes
 * their own.
 */
export const DEFAULT_FILTER_TILING = 'm32n32r4k32w1024';

/** A filter shape as a plan names it: kernel rows x columns x input channels x output channels, '3x3x32x64'. */
export const filterKey = (filterShape: readonly number[]): string => filterShape.join('x');

/**
 * Tilings by filter shape: `SPEC` for every layer, or entries such as `3x3x3x32=SPEC` for the filters named, with at
 * most one bare `SPEC` (the default's, when none) for the rest; comma separated. A GPU whose fastest tiling differs
 * from layer to layer (npm run bench:conv prints the plan that gives each layer its fastest) runs each with its own.
 */
export interface TilingPlan {
  /** The tiling of layers the plan does not name. */
  rest: string;
  byFilter: Map<string, string>;
}

/**
 * The plan a text names, with `rest` for the layers it does not name when it gives no tiling for them; throws, saying
 * why, when an entry is malformed or a tiling cannot be built. `normalize` checks one tiling's spec and writes it
 * back in its one form (our convolutions' tilings, ./gemm-tiling.ts, share this plan format); `example` is a spec
 * to show in the message about a malformed entry.
 */
export function readPlanWith(
  text: string,
  rest: string | null,
  normalize: (spec: string) => string,
  example: string,
): TilingPlan {
  let own: string | null = null;
  const byFilter = new Map<string, string>();
  for (const entry of text.split(',').map((e) => e.trim())) {
    const named = /^(\d+x\d+x\d+x\d+)=(.*)$/.exec(entry);
    if (named) {
      if (byFilter.has(named[1]!)) throw new Error(`The plan "${text}" names filter ${named[1]} twice.`);
      byFilter.set(named[1]!, normalize(named[2]!));
    } else if (entry.includes('=')) {
      throw new Error(`"${entry}" does not name a filter shape; write it as 3x3x32x64=${example}.`);
    } else {
      if (own !== null)
        throw new Error(`The plan "${text}" has two tilings for the layers it does not name (${own}, ${entry}).`);
      own = normalize(entry);
    }
  }
  const forRest = own ?? rest;
  if (forRest === null) throw new Error(`The plan "${text}" needs a tiling for the layers it does not name.`);
  return { rest: forRest, byFilter };
}

const readPlan = (text: string, rest: string | null) =>
  readPlanWith(text, rest, (spec) => tilingSpec(parseTiling(spec)), 'm32n32r4k32w1024');

/** The default plan: it names a tiling for every layer. */
const DEFAULT_PLAN = readPlan(DEFAULT_FILTER_TILING, null);

/**
 * The plan a text names; layers it does not name, when it gives no tiling for them, get the default's. Throws, saying
 * why, when an entry is malformed or a tiling cannot be built.
 */
export const parsePlan = (text: string): TilingPlan => readPlan(text, DEFAULT_PLAN.rest);

/** A plan written out: the tiling for the rest first, then the named filters in order. */
export const planSpec = (plan: TilingPlan): string =>
  [plan.rest, ...[...plan.byFilter].sort(([a], [b]) => a.localeCompare(b)).map(([key, spec]) => `${key}=${spec}`)].join(
    ',',
  );

let plan: TilingPlan = DEFAULT_PLAN;

/** The plan in force, written out as planSpec writes it (the default's, unless a benchmark or test set another). */
export const filterTilingPlan = (): string => planSpec(plan);

/** The default plan as planSpec writes it, to compare with filterTilingPlan() or a benchmark's fastest plan. */
export const DEFAULT_PLAN_SPEC = planSpec(DEFAULT_PLAN);

/**
 * Makes every call follow one tiling or plan (benchmarks and tests); null goes back to the default. Throws on a bad
 * spec, leaving the plan as it was.
 */
export function setFilterTiling(text: string | null): void {
  plan = text === null ? DEFAULT_PLAN : parsePlan(text);
}

/**
 * The tiling a layer with this filter shape [rows, columns, in, out] gets: the plan's, without 4-channel loads where
 * the channels are not multiples of 4.
 */
export function filterTilingFor(filterShape: readonly [number, number, number, number]): string {
  const spec = plan.byFilter.get(filterKey(filterShape)) ?? plan.rest;
  const [, , inChannels, outChannels] = filterShape;
  return inChannels % 4 || outChannels % 4 ? spec.replace('v', '') : spec;
}
