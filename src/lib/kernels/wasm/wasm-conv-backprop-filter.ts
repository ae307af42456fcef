// Conv2DBackpropFilter for TF.js's wasm backend, which has none (training there fails with "Kernel
// 'Conv2DBackpropFilter' not registered for backend 'wasm'"). Composed from kernels wasm does have, as XNNPACK
// matrix multiplies (TF.js's BatchMatMul, XNNPACK's fully connected operator) wherever the layout allows:
// - 1x1 filters (the shortcuts): dW = x^T dy over every stride-th pixel, one matrix multiply;
// - 3x3 filters on large outputs: one multiply per tap of a window on the input's stride phases (./im2col.ts), no
//   copy, by the output gradient laid on the phases' grid (byTapWindows);
// - other 3x3 filters: dW = im2col(x)^T dy, one multiply (or one per row of taps) of an im2col matrix written on the
//   wasm heap from the input's stride phases, except at stride 1 into few channels (see Im2colChoice);
// - otherwise: a convolution of the input (batch and channels swapped) with the output gradient dilated by the
//   stride. XNNPACK packs its filter, the whole output gradient, on every call (about 20 ms for 2.6 M values on a
//   2-core EPYC); the im2col multiply packs the same, so neither reaches the forward convolution's rate.
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { kernelSet } from '../switches';
import { runWasm, type WasmBackend } from './wasm-run';
import { tapGrid, tapRunStart, type TapGrid } from './im2col';
import { im2colColumns, phaseLayout } from './wasm-im2col';
import { heapView, releaseView } from './heap-view';
import { heapSlice } from './heap-slice';
import { multiplyOurs, oursFits, readyHelper } from './wasm-multiply';
import { heapAddress } from './wasm-memory';

type Backend = WasmBackend;

const run = (name: string, backend: Backend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) =>
  runWasm(name, backend, inputs, attrs, 'Conv2DBackpropFilter');

type Keep = (t: tf.TensorInfo) => tf.TensorInfo;

/**
 * a [1, rows, K] times b [1, K, cols]: [1, rows, cols], by TF.js wasm's BatchMatMul, which is XNNPACK's fully
 * connected operator with b as its weights, packed straight from b's [K, cols] layout and kept while b lives. (As a
 * 1x1 Conv2D, TF.js would first transpose b into XNNPACK's [cols, K] filter layout, on one thread: 3 to 7 ms more
 * for a b of 1 M values on a 2-core EPYC.)
 */
const batchMatMul = (a: tf.TensorInfo, b: tf.TensorInfo, backend: Backend): tf.TensorInfo =>
  run('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });

/** a [rows, K] times b [K, cols]: [rows, cols]. */
function matmul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  rows: number,
  k: number,
  cols: number,
  backend: Backend,
  keep: Keep,
): tf.TensorInfo {
  const a3 = keep(run('Reshape', backend, { x: a }, { shape: [1, rows, k] }));
  const b3 = keep(run('Reshape', backend, { x: b }, { shape: [1, k, cols] }));
  const out = keep(batchMatMul(a3, b3, backend));
  return keep(run('Reshape', backend, { x: out }, { shape: [rows, cols] }));
}

/**
 * Our SIMD multiply (./gemm-simd.ts) where it is the faster: C [m, n] = A B with A's rows at `a` + i ra and its
 * reduction along ka (bytes), B the [k, n] tensor `b`. XNNPACK's multiply packs B first, which on few rows costs more
 * than the multiply; measured in headless Chromium on a 2-core EPYC (ms, ours / XNNPACK with its packing, two threads
 * and one): [32 x 80,000] x [80,000 x 32] 16.5 / 43.5 and 10.8 / 48.0; [32 x 18,432] x [18,432 x 64] 6.5 / 19.2 and
 * 5.1 / 24.8; [128 x 4,608] x [4,608 x 256] 15.3 / 24.3 and 20.1 / 38.9; [576 x 4,608] x [4,608 x 128] 31.5 / 37.7
 * and 45.3 / 46.5; [1,152 x 1,152] x [1,152 x 256] 37.5 / 25.9 and 44.9 / 44.1 (ours on one thread, before our
 * helper thread). So ours for at most 576 rows on one thread, and on more wherever our helper thread has started
 * (./helper-thread.ts: ours then shares large products with it; whole steps at batch 16, 64 px went from 358-363 to
 * 317-336 ms, forward convolution included). Before the helper is ready: XNNPACK's wherever its packing serves
 * several multiplies (`shared`: the tap windows, whose nine multiplies share B) or there are over 128 rows. Null
 * where ours does not apply (shape, no SIMD): XNNPACK's then.
 */
function ourMultiply(
  a: { at: number; ra: number; ka: number },
  b: tf.TensorInfo,
  m: number,
  k: number,
  backend: Backend,
  shared = false,
): tf.TensorInfo | null {
  const n = b.shape[b.shape.length - 1]!;
  const oneThread = getThreadsCount() <= 1;
  // On more threads, our helper thread (started on the first ask, ready a moment later) takes chunks of large products.
  const helper = oneThread ? null : readyHelper(backend);
  const rows = oneThread || helper ? 576 : shared ? 0 : 128;
  if (m > rows || !oursFits(backend, m, n) || b.dtype !== 'float32') return null;
  return multiplyOurs(backend, a, b, m, k, helper);
}

/** dy [m, cout] (as [n, oh, ow, cout]) transposed: [cout, m]. */
function transposed(dy: tf.TensorInfo, m: number, backend: Backend, keep: Keep): tf.TensorInfo {
  const flat = keep(run('Reshape', backend, { x: dy }, { shape: [m, dy.shape[3]!] }));
  return keep(run('Transpose', backend, { x: flat }, { perm: [1, 0] }));
}

/**
 * x's pixels (s * i, s * j), i < oh, j < ow. Where the sizes allow, as a reshape and a rank-4 Slice (a strided view
 * of [n * oh, sh, ow, sw * c] picks offset 0 of both strides), which TF.js wasm copies row by row; its StridedSlice
 * takes a generic loop several times slower.
 */
function everyStride(
  x: tf.TensorInfo,
  sh: number,
  sw: number,
  oh: number,
  ow: number,
  backend: Backend,
  keep: Keep,
): tf.TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (sh === 1 && sw === 1 && h === oh && w === ow) return x;
  if (h === sh * oh && w === sw * ow) {
    const grouped = keep(run('Reshape', backend, { x }, { shape: [n * oh, sh, ow, sw * c] }));
    return keep(heapSlice(backend, grouped, [0, 0, 0, 0], [n * oh, 1, ow, c]));
  }
  return keep(
    run(
      'StridedSlice',
      backend,
      { x },
      {
        begin: [0, 0, 0, 0],
        end: [n, sh * (oh - 1) + 1, sw * (ow - 1) + 1, c],
        strides: [1, sh, sw, 1],
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 0,
      },
    ),
  );
}

/** 1x1 filter, no padding: dW[cin, cout] = x_s^T dy with x_s every stride-th pixel of x. */
function oneByOne(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  sh: number,
  sw: number,
  backend: Backend,
  keep: Keep,
): tf.TensorInfo {
  const [n, oh, ow, cout] = dy.shape as [number, number, number, number];
  const cin = x.shape[3]!;
  const m = n * oh * ow;
  const xs = everyStride(x, sh, sw, oh, ow, backend, keep);
  // dW = xs^T dy, xs read transposed.
  const ours = ourMultiply({ at: heapAddress(backend, xs), ra: 4, ka: 4 * cin }, dy, cin, m, backend);
  if (ours) return run('Reshape', backend, { x: keep(ours) }, { shape: [1, 1, cin, cout] });
  const dw = matmul(transposed(dy, m, backend, keep), xs, cout, m, cin, backend, keep); // [cout, cin]
  const out = keep(run('Transpose', backend, { x: dw }, { perm: [1, 0] }));
  return run('Reshape', backend, { x: out }, { shape: [1, 1, cin, cout] });
}

/** The parts of TF.js's wasm backend (4.x) the im2col is written through. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * Which of our three ways a 3x3 filter gradient takes ('auto'):
 * - the tap windows (byTapWindows) for outputs of at least 24 x 24 from at least 32 channels: no im2col matrix to
 *   copy, at the price of a padded grid (17% more multiply-adds at 24 x 24, 36% at 12 x 12) and multiplies of only
 *   cin rows, which stop paying on small images and on the 3-channel stem;
 * - else the im2col multiply, but at stride 1 into at most 32 channels the transposed convolution (few outputs, and
 *   at stride 1 its taps read no zeros).
 * Measured layer by layer in headless Chromium (a page of its own, TF.js's threaded build), batch 32, 96 px, on a
 * 2-core EPYC, median of 5 (ms, im2col / windows / transposed convolution), two threads: 48x48x32 135 / 116 / 123;
 * 48x48x32 stride 2 70 / 58 / 84; 24x24x64 106 / 77 / 77; 24x24x64 stride 2 35 / 33 / 39; 12x12x128 57 / 75 / 71;
 * 12x12x128 stride 2 35 / 41 / 40; 6x6x256 60 / 90 / 71; the stem 96x96x3 stride 2 18 / 48 / 48. One thread:
 * 205 / 177 / 201; 65 / 61 / 107; 147 / 123 / 136; 51 / 69 / 69; 96 / 142 / 116; 42 / 54 / 64; 89 / 125 / 112;
 * 18 / 54 / 54. ('windows', 'always', 'never': one way for every shape, for tests and benchmarks.)
 */
export type Im2colChoice = 'auto' | 'always' | 'never' | 'windows';
let im2col: Im2colChoice = 'auto';

/** The largest im2col matrix built at once (values): rows of taps beyond it get a multiply of their own. */
const DEFAULT_COLUMNS_AT_ONCE = 8 << 20;
let columnsAtOnce = DEFAULT_COLUMNS_AT_ONCE;

/** Tests and benchmarks: which path, and the im2col's largest size (1: one multiply per row of taps); null, defaults. */
export function setIm2colChoice(choice: { im2col: Im2colChoice; columnsAtOnce?: number } | null): void {
  im2col = choice?.im2col ?? 'auto';
  columnsAtOnce = choice?.columnsAtOnce ?? DEFAULT_COLUMNS_AT_ONCE;
}

const takesIm2col = (stride: number, cout: number): boolean =>
  im2col === 'always' || (im2col === 'auto' && (stride > 1 || cout > 32));

const takesWindows = (oh: number, ow: number, cin: number): boolean =>
  im2col === 'windows' || (im2col === 'auto' && oh >= 24 && ow >= 24 && cin >= 32);

/** A way to a 3x3 filter gradient from the input's stride phases on the grid `g`; intermediates go to `keep`. */
type TapGridWay = (
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: [number, number, number, number],
  g: TapGrid,
  backend: Backend,
  keep: Keep,
) => tf.TensorInfo;

/**
 * dW as im2col(x)^T dy: the input's stride phases laid out channel-major (./im2col.ts) in one pass, then per row
 * of taps (all at once where the matrix stays under columnsAtOnce values) one XNNPACK multiply
 * [taps * cin, n * oh * ow] x [n * oh * ow, cout], dy itself the second factor.
 */
const byIm2col: TapGridWay = (x, dy, [kh, kw, cin, cout], g, backend, keep) => {
  const [n, oh, ow] = dy.shape as [number, number, number];
  const m = n * oh * ow;
  const phases = phaseLayout(x, g, 0, backend, keep);
  const tapRows = Math.max(1, Math.min(kh, Math.floor(columnsAtOnce / (kw * cin * m))));
  const parts: tf.TensorInfo[] = [];
  for (let i0 = 0; i0 < kh; i0 += tapRows) {
    const rows = Math.min(tapRows, kh - i0);
    const taps = rows * kw * cin;
    // Rows to a multiple of 4 for our multiply (the 3-channel stem's 27); the extra rows' products are dropped.
    const padded = Math.ceil(taps / 4) * 4;
    const columns = im2colColumns(phases, g, { n, oh, ow, c: cin, kw }, i0, rows, padded, backend, keep);
    const ours = ourMultiply({ at: heapAddress(backend, columns), ra: 4 * m, ka: 4 }, dy, padded, m, backend);
    const top = (t: tf.TensorInfo, cols: number) =>
      padded === taps ? t : keep(heapSlice(backend, t, [0, 0], [taps, cols]));
    parts.push(ours ? top(keep(ours), cout) : matmul(top(columns, m), dy, taps, m, cout, backend, keep));
  }
  const all =
    parts.length === 1
      ? parts[0]!
      : keep(run('Concat', backend, parts as unknown as tf.NamedTensorInfoMap, { axis: 0 }));
  return run('Reshape', backend, { x: all }, { shape: [kh, kw, cin, cout] });
};

/**
 * dW as one multiply per filter tap, with no im2col matrix: tap (i, j) reads the input's phase layout (./im2col.ts) at
 * one fixed offset for every output position, so its rows [cin, cells] are a window on that layout (heapView), and
 * dW[i, j] = window [cin, cells] x dy_grid [cells, cout], where dy_grid is dy laid on the phase grid (hq x wq cells an
 * image, zero past the output's oh x ow, so the window's values there, whatever they are, add nothing). All taps
 * multiply by the same dy_grid, so XNNPACK packs it once (TF.js keeps the operator by its weights' id).
 */
const byTapWindows: TapGridWay = (x, dy, [kh, kw, cin, cout], g, backend, keep) => {
  const [n, oh, ow] = dy.shape as [number, number, number];
  const heap = backend as unknown as WasmHeap;
  // The last tap's window reaches this far past the last channel's cells.
  const phases = phaseLayout(x, g, Math.floor((kh - 1) / g.s) * g.wq + Math.floor((kw - 1) / g.s), backend, keep);
  const grid = keep(heap.makeOutput([g.cells, cout], 'float32'));
  {
    const to = heap.typedArrayFromHeap(grid);
    const from = heap.typedArrayFromHeap(dy);
    to.fill(0);
    const row = ow * cout;
    for (let b = 0; b < n; b++)
      for (let y = 0; y < oh; y++)
        to.set(from.subarray((b * oh + y) * row, (b * oh + y + 1) * row), (b * g.hq + y) * g.wq * cout);
  }
  const weights = keep(run('Reshape', backend, { x: grid }, { shape: [1, g.cells, cout] }));
  const taps: tf.TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const tap = { at: heapAddress(backend, phases) + 4 * tapRunStart(g, cin, i, j), ra: 4 * g.cells, ka: 4 };
      const ours = ourMultiply(tap, grid, cin, g.cells, backend, true);
      if (ours) {
        taps.push(keep(ours));
        continue;
      }
      const view = heapView(backend, phases, tapRunStart(g, cin, i, j), [1, cin, g.cells]);
      try {
        taps.push(keep(batchMatMul(view, weights, backend)));
      } finally {
        releaseView(backend, view);
      }
    }
  }
  const all = keep(run('Concat', backend, taps as unknown as tf.NamedTensorInfoMap, { axis: 0 }));
  return run('Reshape', backend, { x: all }, { shape: [kh, kw, cin, cout] });
};

export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const backend = args.backend as Backend;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw, cin, cout] = filterShape;
  const [, h, w] = x.shape as number[];
  const [, oh, ow] = dy.shape as number[];
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(0, kh - h! - top + sh * (oh! - 1));
  const right = Math.max(0, kw - w! - left + sw * (ow! - 1));
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    if (info.dilationHeight === 1 && info.dilationWidth === 1 && kernelSet() === 'ours') {
      if (kh === 1 && kw === 1 && top === 0 && left === 0) return oneByOne(x, dy, sh, sw, backend, keep);
      const way = takesWindows(oh!, ow!, cin) ? byTapWindows : takesIm2col(sh, cout) ? byIm2col : null;
      if (way && sh === sw && x.dtype === 'float32' && dy.dtype === 'float32')
        return way(x, dy, filterShape, tapGrid(x.shape[0]!, oh!, ow!, kh, kw, sh, top, left), backend, keep);
    }
    const xT = keep(run('Transpose', backend, { x }, { perm: [3, 1, 2, 0] })); // [cin, H, W, n]
    const dyT = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] })); // [oh, ow, n, cout]
    let r = keep(
      run('Conv2D', backend, { x: xT, filter: dyT }, {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [sh, sw],
        dimRoundingMode: null,
      } as unknown as tf.NamedAttrMap),
    );
    if (r.shape[1] !== kh || r.shape[2] !== kw) r = keep(heapSlice(backend, r, [0, 0, 0, 0], [cin, kh, kw, cout]));
    return run('Transpose', backend, { x: r }, { perm: [1, 2, 0, 3] }); // [kh, kw, cin, cout]
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** Registers the kernel for wasm unless the backend already has one. */
export function registerWasmConvBackpropFilter(): void {
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
    });
  }
}
