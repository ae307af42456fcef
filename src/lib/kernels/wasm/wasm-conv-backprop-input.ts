// Conv2DBackpropInput for TF.js's wasm backend. The stock one is a plain loop nest (60% of a ResNet-S training step
// on wasm); this one hands the work to wasm's XNNPACK Conv2D: the input gradient is a stride-1 convolution of the
// output gradient with the filter turned 180 degrees and its channel axes swapped. A strided convolution's is split
// by phase (stride-phases.ts): stride x stride stride-1 convolutions with a share of the taps each, interleaved by
// two concatenations, so no multiply-add is spent on the zeros of a dilated gradient (4x the work at stride 2).
import * as tf from '@tensorflow/tfjs-core';
import { kernelSet } from '../switches';
import { conv2dStride1, runWasm, type Pad, type WasmBackend } from './wasm-run';
import { stridePhases } from './stride-phases';
import { pickTaps, reversedTaps } from './pick-taps';
import { heapSlice } from './heap-slice';

type Backend = WasmBackend;

const run = (name: string, backend: Backend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) =>
  runWasm(name, backend, inputs, attrs, 'Conv2DBackpropInput');

/** dy with stride-1 zeros after each pixel along height and width: [n, oh * sh, ow * sw, c]. */
function dilate(
  dy: tf.TensorInfo,
  sh: number,
  sw: number,
  backend: Backend,
  keep: (t: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape as [number, number, number, number];
  const six = keep(run('Reshape', backend, { x: dy }, { shape: [n, oh, 1, ow, 1, c] }));
  const padded = keep(
    run(
      'PadV2',
      backend,
      { x: six },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    ),
  );
  return keep(run('Reshape', backend, { x: padded }, { shape: [n, oh * sh, ow * sw, c] }));
}

/** The input gradient of a strided convolution as stride x stride stride-1 convolutions, one per phase. */
function byPhases(
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  inputShape: number[],
  backend: Backend,
  keep: (t: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo {
  const [kh, kw, cin] = filter.shape as [number, number, number, number];
  const [n, h, w] = inputShape as [number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number];
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const rows = stridePhases(h, oh, sh, info.padInfo.top, kh);
  const cols = stridePhases(w, ow, sw, info.padInfo.left, kw);
  const swapped = keep(run('Transpose', backend, { x: filter }, { perm: [0, 1, 3, 2] })); // [kh, kw, cout, cin]
  if (sh !== sw) throw new Error('Conv2DBackpropInput on wasm: unequal strides are not split by phase');
  const parts: tf.TensorInfo[] = [];
  for (const py of rows.phases) {
    for (const px of cols.phases) {
      if (py.taps === 0 || px.taps === 0) {
        parts.push(
          keep(run('Fill', backend, {}, { shape: [n, rows.length, cols.length, cin], value: 0, dtype: 'float32' })),
        );
        continue;
      }
      const cout = swapped.shape[2]!;
      // The phase's taps of the filter turned 180 degrees.
      const sub = keep(
        pickTaps(
          backend,
          swapped,
          reversedTaps(kh, py.flippedBegin, sh, py.taps),
          reversedTaps(kw, px.flippedBegin, sw, px.taps),
        ),
      );
      const whole = py.first === 0 && px.first === 0 && py.count === oh && px.count === ow;
      const d = whole ? dy : keep(heapSlice(backend, dy, [0, py.first, px.first, 0], [n, py.count, px.count, cout]));
      parts.push(
        keep(
          conv2dStride1(
            backend,
            d,
            sub,
            [
              [0, 0],
              [py.padBefore, py.padAfter],
              [px.padBefore, px.padAfter],
              [0, 0],
            ],
            'Conv2DBackpropInput',
          ),
        ),
      );
    }
  }
  // Interleaved without a transpose (TF.js wasm's rank-5 one is a slow generic loop): the phases of one row phase
  // concatenated along channels are, reshaped, that phase's rows with their columns interleaved ([n, A, B, sw * cin]
  // is [n, A, B * sw, cin] with column b * sw + rx); those concatenated along the width are, reshaped, all rows
  // interleaved ([n, A, sh * W, cin] is [n, A * sh, W, cin] with row a * sh + ry).
  const A = rows.length;
  const B = cols.length;
  const rowPhases = rows.phases.map((_, ry) => {
    const across = parts.slice(ry * sw, (ry + 1) * sw);
    const joined = keep(run('Concat', backend, across as unknown as tf.NamedTensorInfoMap, { axis: 3 }));
    return keep(run('Reshape', backend, { x: joined }, { shape: [n, A, B * sw, cin] }));
  });
  const joined = keep(run('Concat', backend, rowPhases as unknown as tf.NamedTensorInfoMap, { axis: 2 }));
  // A reshape shares its input's data (one more reference), so it can be returned while `joined` is let go.
  if (A * sh === h && B * sw === w) return run('Reshape', backend, { x: joined }, { shape: [n, h, w, cin] });
  const spread = keep(run('Reshape', backend, { x: joined }, { shape: [n, A * sh, B * sw, cin] }));
  return heapSlice(backend, spread, [0, 0, 0, 0], [n, h, w, cin]);
}

/** The parts of TF.js's wasm backend (4.x) the strided 1x1 gradient is written through. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * A strided 1x1 convolution's input gradient: dy times the filter's transpose (one XNNPACK multiply), each pixel's
 * result copied to input pixel (s * i, s * j) of a zero gradient. (Split by phase, three of its four phases would be
 * zero convolutions, interleaved by concatenations that copy one pixel at a time.)
 */
function oneByOneStrided(
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  sh: number,
  sw: number,
  inputShape: readonly number[],
  backend: Backend,
  keep: (t: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo {
  const [n, h, w, cin] = inputShape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number];
  const swapped = keep(run('Transpose', backend, { x: filter }, { perm: [0, 1, 3, 2] })); // [1, 1, cout, cin]
  const small = keep(conv2dStride1(backend, dy, swapped, 'valid', 'Conv2DBackpropInput'));
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput([n, h, w, cin], 'float32');
  // Views taken after the allocation (a growing heap would detach them).
  const src = heap.typedArrayFromHeap(small);
  const dst = heap.typedArrayFromHeap(out);
  dst.fill(0);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const from = ((b * oh + i) * ow + j) * cin;
        dst.set(src.subarray(from, from + cin), ((b * h + sh * i) * w + sw * j) * cin);
      }
    }
  }
  return out;
}

export function conv2DBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, inputShape } = args.attrs as unknown as {
    strides: number | [number, number];
    pad: Pad;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  const backend = args.backend as Backend;
  const [kh, kw, cin] = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [n, h, w] = inputShape;
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    if (
      kh === 1 &&
      kw === 1 &&
      info.padInfo.top === 0 &&
      info.padInfo.left === 0 &&
      info.dilationHeight === 1 &&
      info.dilationWidth === 1 &&
      dy.dtype === 'float32' &&
      filter.dtype === 'float32' &&
      (info.strideHeight > 1 || info.strideWidth > 1)
    ) {
      return oneByOneStrided(dy, filter, info.strideHeight, info.strideWidth, inputShape, backend, keep);
    }
    if (
      info.strideHeight > 1 &&
      info.strideHeight === info.strideWidth &&
      info.dilationHeight === 1 &&
      info.dilationWidth === 1
    ) {
      return byPhases(dy, filter, info, inputShape, backend, keep);
    }
    let d = dilate(dy, info.strideHeight, info.strideWidth, backend, keep);
    // Rows (columns) of the dilated gradient past what reaches the input are cut; missing ones are zero padding.
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = h - d.shape[1]! + info.padInfo.top;
    const right = w - d.shape[2]! + info.padInfo.left;
    if (bottom < 0 || right < 0) {
      d = keep(
        heapSlice(
          backend,
          d,
          [0, 0, 0, 0],
          [n, d.shape[1]! + Math.min(0, bottom), d.shape[2]! + Math.min(0, right), d.shape[3]!],
        ),
      );
    }
    const flipped = keep(pickTaps(backend, filter, reversedTaps(kh, 0, 1, kh), reversedTaps(kw, 0, 1, kw)));
    const turned = keep(run('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] })); // [kh, kw, cout, cin]
    const out = conv2dStride1(
      backend,
      d,
      turned,
      [
        [0, 0],
        [top, Math.max(0, bottom)],
        [left, Math.max(0, right)],
        [0, 0],
      ],
      'Conv2DBackpropInput',
    );
    if (out.shape[1] !== h || out.shape[2] !== w || out.shape[3] !== cin)
      throw new Error(`Conv2DBackpropInput on wasm: got ${out.shape}, expected ${inputShape}`);
    return out;
  } finally {
    for (const t of temps) if (t !== dy) backend.disposeData(t.dataId);
  }
}

/**
 * Whether ours is likely the faster: it pays a fixed cost per call that grows with the filter (XNNPACK repacks the
 * turned filter every time, and on two threads each call waits for the second one), while the stock loop's cost grows
 * with the input gradient's pixels times the taps times both channel counts.
 * 3x3, measured on a 2-core Xeon: 2x2x256 at batch 4 takes 24 ms ours against 3 ms stock; 4x4x256 at batch 16 takes
 * 34 against 78; the stem's 16x16x32 at batch 4 takes 1.4 against 7.6.
 * 1x1 (a filter 9 times smaller to repack), measured in headless Chromium on a 2-core EPYC, ms ours / stock on two
 * threads and on one, cin 128 from cout 256 at stride 2: 4x4x4 pixels 3.5 / 1.2 and 1.1 / 1.5; 16x4x4 4.5 / 4.0 and
 * 1.9 / 6.3; 16x8x8 (ResNet-S's last shortcut at batch 16, 64 px) 4.9 / 13.7 and 3.9 / 13.8.
 */
export function xnnpackWorthIt(inputShape: readonly number[], filterShape: readonly number[]): boolean {
  const [n, h, w] = inputShape as [number, number, number];
  const [kh, kw] = filterShape as [number, number];
  return kh * kw === 1 ? n * h * w >= 256 : n * h * w * kh * kw >= 2048;
}

/** Puts ours in front of wasm's own (which still runs for NCHW, small inputs, and the stock kernel set). */
export function registerWasmConvBackpropInput(): void {
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original || (original.kernelFunc as { ours?: boolean }).ours) return;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }) =>
    kernelSet() === 'ours' &&
    (args.attrs as { dataFormat?: string }).dataFormat !== 'NCHW' &&
    xnnpackWorthIt(
      (args.attrs as unknown as { inputShape: number[] }).inputShape,
      (args.inputs['filter'] as tf.TensorInfo).shape,
    )
      ? conv2DBackpropInputWasm(args)
      : original.kernelFunc(args as never)) as tf.KernelFunc & { ours?: boolean };
  kernelFunc.ours = true;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  // The stock kernel binds its wasm function in setupFunc, which the backend runs when it starts.
  tf.registerKernel({ ...original, kernelFunc });
}
