// Conv2D for TF.js's wasm backend where XNNPACK's would spend about as long readying the filter as multiplying:
// a filter it has not seen (in training, every step's, after the optimizer's update) on a small output (the last
// stage's few pixels). TF.js builds an XNNPACK operator per filter tensor, transposing the filter and packing it
// on one thread, at 10 to 15 ns a value on a 2-core EPYC: for a [3, 3, 256, 256] filter about 8 ms, against 9 ms for
// the whole convolution at batch 16 on 4 x 4 pixels (measured in headless Chromium, two threads). Ours writes the
// input's im2col matrix by pixels (./im2col.ts) and multiplies it by the filter where it lies (./wasm-multiply.ts:
// no packing, two threads with our helper). A filter seen before goes to XNNPACK, which has kept its operator
// (inference, validation), and so does every other shape and the stock kernel set.
import * as tf from '@tensorflow/tfjs-core';
import { kernelSet } from '../switches';
import { writePixelRows } from './im2col';
import { heapAddress } from './wasm-memory';
import type { Pad } from './wasm-run';
import { multiplyOurs, oursFits, readyHelper } from './wasm-multiply';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

interface Conv2DAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil' | null;
}

/** Output pixels (batch x height x width) up to which ours is the faster for a filter XNNPACK has not packed. */
export const OURS_UP_TO_PIXELS = 512;
/** Filters of at least this many values: below it, XNNPACK readies the filter in well under a millisecond. */
export const OURS_FROM_FILTER_VALUES = 1 << 17;

/**
 * 'auto': ours where the rule below holds and our helper thread is ready (on one thread ours ran at 12.6 GFLOP/s in
 * Node on the last stage, 23.9 ms, slower than XNNPACK with its packing); 'always': wherever the rule holds, on one
 * thread too; 'never': XNNPACK's. For tests and benchmarks.
 */
export type Conv2dChoice = 'auto' | 'always' | 'never';
let choice: Conv2dChoice = 'auto';
export function setConv2dChoice(c: Conv2dChoice | null): void {
  choice = c ?? 'auto';
}

/** Filters XNNPACK has an operator for (TF.js keeps one per filter tensor, until it is disposed). */
const packed = new WeakSet<object>();

/** Whether ours takes this convolution: its shape, and a filter XNNPACK has not packed. */
export function takesOurs(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): boolean {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  return (
    kernelSet() === 'ours' &&
    choice !== 'never' &&
    (choice === 'always' || readyHelper(backend) !== null) &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.strideHeight === info.strideWidth &&
    pixels <= OURS_UP_TO_PIXELS &&
    kh * kw * cin * cout >= OURS_FROM_FILTER_VALUES &&
    !packed.has(filter.dataId) &&
    oursFits(backend, pixels, cout)
  );
}

/** x * filter as im2col(x) [pixels, kh kw cin] (by pixels) times filter [kh kw cin, cout]: [n, oh, ow, cout]. */
export function conv2dByIm2col(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const { batchSize: n, outHeight: oh, outWidth: ow } = info;
  const pixels = n * oh * ow;
  const taps = kh * kw * cin;
  const heap = backend as unknown as WasmHeap;
  const columns = heap.makeOutput([pixels, taps], 'float32');
  try {
    // Views taken after the allocation (a growing heap would detach them).
    const geometry = { oh, ow, kh, kw, s: info.strideHeight, top: info.padInfo.top, left: info.padInfo.left };
    writePixelRows(heap.typedArrayFromHeap(x), x.shape, geometry, heap.typedArrayFromHeap(columns));
    // A by rows: our multiply's faster way (31 GFLOP/s in Node on one thread, against 21 read transposed).
    const a = { at: heapAddress(backend, columns), ra: 4 * taps, ka: 4 };
    return multiplyOurs(backend, a, filter, pixels, taps, readyHelper(backend), [n, oh, ow, cout]);
  } finally {
    backend.disposeData(columns.dataId);
  }
}

/** Puts ours in front of wasm's own Conv2D (kept for every other case, and its set-up). */
export function registerWasmConv2D(): void {
  const original = tf.getKernel('Conv2D', 'wasm');
  if (!original || (original.kernelFunc as { ours?: boolean }).ours) return;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as Conv2DAttrs;
    if (a.dataFormat === 'NHWC' && x.shape.length === 4 && filter.shape.length === 4) {
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        a.strides,
        a.dilations,
        a.pad,
        a.dimRoundingMode ?? undefined,
        false,
        'channelsLast',
      );
      if (takesOurs(args.backend, x, filter, info)) {
        // Seen once now: a second use of the same filter is XNNPACK's, which then keeps its operator.
        packed.add(filter.dataId);
        return conv2dByIm2col(args.backend, x, filter, info);
      }
    }
    packed.add(filter.dataId);
    return original.kernelFunc(args as never);
  }) as tf.KernelFunc & { ours?: boolean };
  kernelFunc.ours = true;
  tf.unregisterKernel('Conv2D', 'wasm');
  // The stock kernel binds its wasm function in setupFunc, which the backend runs when it starts.
  tf.registerKernel({ ...original, kernelFunc });
}
