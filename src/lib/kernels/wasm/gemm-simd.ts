// A matrix multiply C += A B as a small SIMD WebAssembly module of our own, on TF.js's wasm memory, for the filter
// gradient's products: few rows and columns (the channels), a long reduction (the pixels). XNNPACK's multiply first
// packs its second factor, which costs 12 to 21 ns a value on a 2-core EPYC (an 80,000 x 32 output gradient: 38 ms
// to pack, 10 ms to multiply); this reads both factors where they are. Four rows by 8 columns of C at a time, in
// eight 4-lane accumulators: each step of the reduction loads 8 values of B's row and splats one value of each of A's
// four rows (v128.load32_splat: a load, no shuffle). The reduction runs in chunks of kc, so that B's chunk stays in cache while every tile takes its products.
// A's element (i, k) is at a + i ra + k ka (bytes), so A may be read transposed; B's rows and C's are contiguous,
// ldb and ldc bytes apart. M must be a multiple of 4 and N of 8. One thread, or two with a helper thread
// (./helper-thread.ts) taking chunks of the reduction into a scratch C.
import { browserSpawn, HelperThread, type Spawn } from './helper-thread';
import {
  addTo,
  I32,
  V128,
  get,
  i32,
  instanceOn,
  loopWhileBelow,
  memAt,
  moduleBytes,
  op,
  s,
  set,
  simd,
  MEM,
  type WasmFunction,
} from './wasm-encode';

const [a, ra, ka, b, ldb, c, ldc, M, N, K, kc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [i, j, k, k0, k1, pb, pc] = [11, 12, 13, 14, 15, 16, 17];
const pa = (row: number) => 18 + row; // 18-21
const [sp, b0, b1] = [22, 23, 24];
const acc = (row: number, q: number) => 25 + row * 2 + q; // 25-32

const times = (x: number, y: number) => [...get(x), ...get(y), op.i32Mul];

/** One step of the reduction: 8 values of B's row k, one of each of A's rows i..i + 3, into the accumulators. */
const step = [
  ...get(pb),
  ...s(simd.load),
  ...memAt(0),
  ...set(b0),
  ...get(pb),
  ...s(simd.load),
  ...memAt(16),
  ...set(b1),
  ...[0, 1, 2, 3].flatMap((row) => [
    ...get(pa(row)),
    ...s(simd.load32Splat),
    ...MEM,
    ...set(sp),
    ...[0, 1].flatMap((q) => [
      ...get(acc(row, q)),
      ...get(sp),
      ...get(q === 0 ? b0 : b1),
      ...s(simd.mul),
      ...s(simd.add),
      ...set(acc(row, q)),
    ]),
    ...addTo(pa(row), get(ka)),
  ]),
  ...addTo(pb, get(ldb)),
];

/** The accumulators to or from C's tile at rows i..i + 3, columns j..j + 7 (pc its first value). */
const tileIo = (store: boolean) =>
  [0, 1, 2, 3].flatMap((row) => [
    ...(row > 0 ? addTo(pc, get(ldc)) : []),
    ...[0, 1].flatMap((q) =>
      store
        ? [...get(pc), ...get(acc(row, q)), ...s(simd.store), ...memAt(16 * q)]
        : [...get(pc), ...s(simd.load), ...memAt(16 * q), ...set(acc(row, q))],
    ),
  ]);

/** pc = c + i ldc + 4 j. */
const tileStart = [...get(c), ...times(i, ldc), op.i32Add, ...get(j), ...i32(2), op.i32Shl, op.i32Add, ...set(pc)];

/** C's 4 x 8 tile at rows i.., columns j.., plus the products over the reduction's chunk k0..k1. */
const tile = [
  ...tileStart,
  ...tileIo(false),
  // pa(r) = a + (i + r) ra + k0 ka; pb = b + k0 ldb + 4 j
  ...get(a),
  ...times(i, ra),
  op.i32Add,
  ...times(k0, ka),
  op.i32Add,
  ...set(pa(0)),
  ...[1, 2, 3].flatMap((row) => [...get(pa(row - 1)), ...get(ra), op.i32Add, ...set(pa(row))]),
  ...get(b),
  ...times(k0, ldb),
  op.i32Add,
  ...get(j),
  ...i32(2),
  op.i32Shl,
  op.i32Add,
  ...set(pb),
  ...get(k0),
  ...set(k),
  ...loopWhileBelow(k, k1, 1, step),
  ...tileStart,
  ...tileIo(true),
];

// gemm(a, ra, ka, b, ldb, c, ldc, M, N, K, kc): C += A B, the reduction in chunks of kc (B's chunk stays in cache
// while every tile of C takes its products).
const gemm: WasmFunction = {
  name: 'gemm',
  params: Array<number>(11).fill(I32),
  locals: [
    [11, I32],
    [11, V128],
  ],
  code: loopWhileBelow(k0, K, 0, [
    // k1 = min(k0 + kc, K)
    ...get(K),
    ...get(k0),
    ...get(kc),
    op.i32Add,
    ...get(k0),
    ...get(kc),
    op.i32Add,
    ...get(K),
    op.i32GtU,
    op.select,
    ...set(k1),
    ...i32(0),
    ...set(i),
    ...loopWhileBelow(i, M, 4, [...i32(0), ...set(j), ...loopWhileBelow(j, N, 8, tile)]),
    ...get(k1),
    ...set(k0),
  ]),
};

export function gemmModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return moduleBytes(shared, [gemm]);
}

/** Where A, B and C are and how they are laid out (bytes), the sizes, and the reduction's chunk (values). */
export interface GemmArgs {
  a: number;
  ra: number;
  ka: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  m: number;
  n: number;
  k: number;
  kc: number;
}

type Fn = (...args: number[]) => void;

/** The module's multiply on `memory`; null where WebAssembly SIMD is missing. */
export function gemmOn(memory: WebAssembly.Memory): ((g: GemmArgs) => void) | null {
  const fn = instanceOn('gemm', memory, gemmModuleBytes)?.['gemm'] as Fn | undefined;
  if (!fn) return null;
  return (g) => fn(g.a, g.ra, g.ka, g.b, g.ldb, g.c, g.ldc, g.m, g.n, g.k, g.kc);
}

/** Whether the multiply takes C's shape. */
export const gemmFits = (m: number, n: number): boolean => m % 4 === 0 && n % 8 === 0;

const helpers = new WeakMap<WebAssembly.Memory, HelperThread>();

/**
 * The helper thread that runs the multiply on `memory`, started on the first call (it is `ready` some milliseconds
 * later); null where the memory is not shared, SIMD is missing or no worker can start.
 */
export function gemmHelperOn(memory: WebAssembly.Memory, spawn: Spawn = browserSpawn): HelperThread | null {
  if (typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) return null;
  let helper = helpers.get(memory);
  if (!helper) {
    const bytes = gemmModuleBytes(true);
    if (!WebAssembly.validate(bytes)) return null;
    helper = new HelperThread(memory, new WebAssembly.Module(bytes), 'gemm', spawn);
    helpers.set(memory, helper);
  }
  return helper.failed ? null : helper;
}

/**
 * C += A B on two threads, where the helper is ready: the reduction in chunks shared with it (./helper-thread.ts), its
 * part into the m x n floats at `scratch` (bytes, ldc apart like C's rows; zeroed here), then added into C. Alone
 * otherwise.
 */
export function gemmOnTwo(memory: WebAssembly.Memory, helper: HelperThread, g: GemmArgs, scratch: number): void {
  const fn = instanceOn('gemm', memory, gemmModuleBytes)?.['gemm'] as Fn | undefined;
  if (!fn) throw new Error('gemmOnTwo needs WebAssembly SIMD');
  const rowsOf = (c: number) => new Float32Array(memory.buffer, c, ((g.m - 1) * g.ldc) / 4 + g.n);
  const zeros = rowsOf(scratch);
  for (let i = 0; i < g.m; i++) zeros.fill(0, (i * g.ldc) / 4, (i * g.ldc) / 4 + g.n);
  // About 48 chunks a product: the last one either thread is on when the other runs out is what that one waits for.
  const chunk = Math.max(16, Math.ceil(g.k / 48));
  const shared = helper.share({ ...g, helperC: scratch, chunk }, (a, b, c, k) =>
    fn(a, g.ra, g.ka, b, g.ldb, c, g.ldc, g.m, g.n, k, g.kc),
  );
  if (!shared) return fn(g.a, g.ra, g.ka, g.b, g.ldb, g.c, g.ldc, g.m, g.n, g.k, g.kc);
  const c = rowsOf(g.c);
  const extra = rowsOf(scratch);
  for (let i = 0; i < g.m; i++) for (let j = (i * g.ldc) / 4, end = j + g.n; j < end; j++) c[j] = c[j]! + extra[j]!;
}
