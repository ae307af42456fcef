// Our WebGPU Conv2DBackpropFilter (NHWC). The stock kernel gives each of the KH*KW*CI*CO outputs one thread that
// loops serially over the whole batch and image: few threads, very long loops (203 ms of a 470 ms ResNet-S step on
// an H200). Here the reduction over (batch, rows) is split across many threads (split-K), neighbouring threads take
// neighbouring output channels so reads of dy are coalesced and reads of x are shared, and a second small pass adds
// the partial sums.
import * as tf from '@tensorflow/tfjs-core';
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { FlatProgram } from './flat-program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** Aim for about this many threads in the partial-sum pass. */
const TARGET_THREADS = 1 << 19;

class PartialSumsProgram extends FlatProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'pads : vec2<i32>, strides : vec2<i32>, inHeight : i32, inWidth : i32, inChannels : i32, outHeight : i32, outWidth : i32, outChannels : i32, filterWidth : i32, mCount : i32, rows : i32, rowsPerSplit : i32,';
  shaderKey = 'ownConv2DBackpropFilterPartial';

  getUserCode(): string {
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        let co = index % uniforms.outChannels;
        let rest = index / uniforms.outChannels;
        let m = rest % uniforms.mCount;
        let split = rest / uniforms.mCount;
        let ci = m % uniforms.inChannels;
        let kk = m / uniforms.inChannels;
        let kw = kk % uniforms.filterWidth;
        let kh = kk / uniforms.filterWidth;
        let r0 = split * uniforms.rowsPerSplit;
        let r1 = min(r0 + uniforms.rowsPerSplit, uniforms.rows);
        var acc = 0.0;
        for (var r = r0; r < r1; r = r + 1) {
          let n = r / uniforms.outHeight;
          let oy = r % uniforms.outHeight;
          let iy = oy * uniforms.strides.x + kh - uniforms.pads.x;
          if (iy < 0 || iy >= uniforms.inHeight) {
            continue;
          }
          let xRow = (n * uniforms.inHeight + iy) * uniforms.inWidth;
          let dyRow = r * uniforms.outWidth;
          for (var ox = 0; ox < uniforms.outWidth; ox = ox + 1) {
            let ix = ox * uniforms.strides.y + kw - uniforms.pads.y;
            if (ix < 0 || ix >= uniforms.inWidth) {
              continue;
            }
            acc = acc + x[(xRow + ix) * uniforms.inChannels + ci] * dy[(dyRow + ox) * uniforms.outChannels + co];
          }
        }
        setOutputAtIndex(index, acc);
      }
    }`;
  }
}

class SumSplitsProgram extends FlatProgram {
  variableNames = ['partial'];
  uniforms = 'splits : i32,';
  shaderKey = 'ownConv2DBackpropFilterSum';

  getUserCode(): string {
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        var acc = 0.0;
        for (var s = 0; s < uniforms.splits; s = s + 1) {
          acc = acc + partial[s * uniforms.size + index];
        }
        setOutputAtIndex(index, acc);
      }
    }`;
  }
}

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Runs our kernel, or returns null when the case is one it does not handle (NCHW). */
export function conv2DBackpropFilterWebGPU(x: tf.TensorInfo, dy: tf.TensorInfo, attrs: Attrs, backend: WebGPUBackend): tf.TensorInfo | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const [kh, kw, ci, co] = attrs.filterShape;
  const mCount = kh * kw * ci;
  const rows = info.batchSize * info.outHeight;
  const splits = Math.max(1, Math.min(rows, Math.ceil(TARGET_THREADS / (mCount * co))));
  const rowsPerSplit = Math.ceil(rows / splits);
  const used = Math.ceil(rows / rowsPerSplit);
  const uniforms = [
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.inHeight] }, { type: 'int32', data: [info.inWidth] }, { type: 'int32', data: [ci] },
    { type: 'int32', data: [info.outHeight] }, { type: 'int32', data: [info.outWidth] }, { type: 'int32', data: [co] },
    { type: 'int32', data: [kw] }, { type: 'int32', data: [mCount] }, { type: 'int32', data: [rows] }, { type: 'int32', data: [rowsPerSplit] },
  ];
  if (used === 1) return backend.runWebGPUProgram(new PartialSumsProgram(attrs.filterShape), [x, dy], 'float32', uniforms);
  const partial = backend.runWebGPUProgram(new PartialSumsProgram([used, mCount * co]), [x, dy], 'float32', uniforms);
  try {
    return backend.runWebGPUProgram(new SumSplitsProgram(attrs.filterShape), [partial], 'float32', [{ type: 'int32', data: [used] }]);
  } finally {
    backend.disposeData(partial.dataId);
  }
}
