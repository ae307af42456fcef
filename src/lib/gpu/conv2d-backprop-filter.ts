// Our WebGPU Conv2DBackpropFilter (NHWC). The stock kernel gives each of the KH*KW*CI*CO outputs one thread that
// loops serially over the whole batch and image: few threads, very long loops (203 ms of a 470 ms ResNet-S step on
// an H200). Here it is a tiled implicit GEMM through workgroup memory, with the reduction over (batch, rows,
// columns) split across workgroups (split-K) and a second small pass adding the partial sums.
import * as tf from '@tensorflow/tfjs-core';
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { flatDispatchLayout } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_util';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { FlatProgram, i32 } from './flat-program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** Output tile per workgroup (filter rows x output channels) and rows of the reduction loaded per step. */
const TILE = 32;
/** Aim for about this many workgroups, splitting the reduction when the filter alone gives too few. */
const TARGET_WORKGROUPS = 1024;

/**
 * An implicit GEMM: dW[m, co] = sum over p of A[p, m] * dy[p, co], where p runs over (batch, output row, output
 * column), m over (kernel row, kernel column, input channel), and A[p, m] is the input pixel that tap m saw at output
 * position p (zero in the padding). An 8x8 workgroup computes a 32x32 tile of dW, 4x4 per thread in registers,
 * staging 32 rows of A and dy at a time in workgroup memory (as vec4s: two loads per row instead of eight). Workgroups
 * along z take separate ranges of p (split-K); a second pass adds their partial tiles.
 */
class PartialSumsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, inHeight : i32, inWidth : i32, inChannels : i32, outHeight : i32, outWidth : i32, outChannels : i32, filterWidth : i32, mCount : i32, positions : i32, chunksPerSplit : i32,';
  shaderKey = 'ownConv2DBackpropFilterTiled';
  workgroupSize: [number, number, number] = [8, 8, 1];
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(outputShape: number[], mCount: number, outChannels: number, splits: number) {
    this.outputShape = outputShape;
    this.dispatchLayout = flatDispatchLayout(outputShape);
    this.dispatch = [Math.ceil(outChannels / TILE), Math.ceil(mCount / TILE), splits];
  }

  getUserCode(): string {
    return `
    // Rows of 32 values as 8 vec4s: a thread reads its 4 filter taps, or 4 output channels, in one load.
    var<workgroup> tileA : array<array<vec4<f32>, ${TILE / 4}>, ${TILE}>;
    var<workgroup> tileB : array<array<vec4<f32>, ${TILE / 4}>, ${TILE}>;

    fn readB(p : i32, co : i32) -> f32 {
      if (p >= uniforms.positions || co >= uniforms.outChannels) {
        return 0.0;
      }
      return dy[p * uniforms.outChannels + co];
    }

    ${main('index')} {
      let tx = i32(localId.x);
      let ty = i32(localId.y);
      let flat = ty * 8 + tx;
      let co0 = i32(workgroupId.x) * ${TILE};
      let m0 = i32(workgroupId.y) * ${TILE};
      let split = i32(workgroupId.z);
      // 64 threads stage a 32x32 block of A and of dy, 16 elements each: a thread keeps one column (neighbours read
      // neighbouring channels) and takes every other row. So its filter tap m is fixed, split into kernel row and
      // column and input channel once; its output positions are stepped through without dividing per element.
      let col = flat % ${TILE};
      let firstRow = flat / ${TILE};
      let tap = m0 + col;
      let ci = tap % uniforms.inChannels;
      let kw = (tap / uniforms.inChannels) % uniforms.filterWidth;
      let kh = tap / uniforms.inChannels / uniforms.filterWidth;
      // acc[i][j]: filter row m0 + 4 * ty + i, output channel co0 + 4 * tx + j.
      var acc : array<vec4<f32>, 4>;
      for (var chunk = 0; chunk < uniforms.chunksPerSplit; chunk = chunk + 1) {
        var p = (split * uniforms.chunksPerSplit + chunk) * ${TILE} + firstRow;
        var ox = p % uniforms.outWidth;
        var oy = (p / uniforms.outWidth) % uniforms.outHeight;
        var n = p / uniforms.outWidth / uniforms.outHeight;
        for (var row = firstRow; row < ${TILE}; row = row + 2) {
          // A[p, m]: the input pixel that tap m sees at output position p, or 0 in the padding.
          var a = 0.0;
          let iy = oy * uniforms.strides.x + kh - uniforms.pads.x;
          let ix = ox * uniforms.strides.y + kw - uniforms.pads.y;
          if (p < uniforms.positions && tap < uniforms.mCount && iy >= 0 && iy < uniforms.inHeight && ix >= 0 && ix < uniforms.inWidth) {
            a = x[((n * uniforms.inHeight + iy) * uniforms.inWidth + ix) * uniforms.inChannels + ci];
          }
          tileA[row][col / 4][col % 4] = a;
          tileB[row][col / 4][col % 4] = readB(p, co0 + col);
          // The next row is two positions on.
          p = p + 2;
          ox = ox + 2;
          while (ox >= uniforms.outWidth) {
            ox = ox - uniforms.outWidth;
            oy = oy + 1;
          }
          while (oy >= uniforms.outHeight) {
            oy = oy - uniforms.outHeight;
            n = n + 1;
          }
        }
        workgroupBarrier();
        for (var k = 0; k < ${TILE}; k = k + 1) {
          let a = tileA[k][ty];
          let b = tileB[k][tx];
          acc[0] = acc[0] + a.x * b;
          acc[1] = acc[1] + a.y * b;
          acc[2] = acc[2] + a.z * b;
          acc[3] = acc[3] + a.w * b;
        }
        workgroupBarrier();
      }
      let base = split * uniforms.mCount * uniforms.outChannels;
      for (var i = 0; i < 4; i = i + 1) {
        for (var j = 0; j < 4; j = j + 1) {
          let m = m0 + ty * 4 + i;
          let co = co0 + tx * 4 + j;
          if (m < uniforms.mCount && co < uniforms.outChannels) {
            setOutputAtIndex(base + m * uniforms.outChannels + co, acc[i][j]);
          }
        }
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
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const chunks = Math.ceil(positions / TILE);
  const tiles = Math.ceil(mCount / TILE) * Math.ceil(co / TILE);
  const chunksPerSplit = Math.ceil(chunks / Math.max(1, Math.min(chunks, Math.ceil(TARGET_WORKGROUPS / tiles))));
  const used = Math.ceil(chunks / chunksPerSplit);
  const uniforms = [
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    ...[info.inHeight, info.inWidth, ci, info.outHeight, info.outWidth, co, kw, mCount, positions, chunksPerSplit].map(i32),
  ];
  if (used === 1) return backend.runWebGPUProgram(new PartialSumsProgram(attrs.filterShape, mCount, co, 1), [x, dy], 'float32', uniforms);
  const partial = backend.runWebGPUProgram(new PartialSumsProgram([used, mCount * co], mCount, co, used), [x, dy], 'float32', uniforms);
  try {
    return backend.runWebGPUProgram(new SumSplitsProgram(attrs.filterShape), [partial], 'float32', [i32(used)]);
  } finally {
    backend.disposeData(partial.dataId);
  }
}
