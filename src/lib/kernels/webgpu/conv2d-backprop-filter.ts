// Our WebGPU Conv2DBackpropFilter (NHWC). The stock kernel gives each of the KH*KW*CI*CO outputs one thread that
// loops serially over the whole batch and image: few threads, very long loops (203 ms of a 470 ms ResNet-S step on
// an H200). Here it is a tiled implicit GEMM through workgroup memory, with the reduction over (batch, rows,
// columns) split across workgroups (split-K) and a second small pass adding the partial sums.
import * as tf from '@tensorflow/tfjs-core';
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { flatDispatchLayout } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_util';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { FlatProgram, i32 } from './flat-program';
import { stagedValue, tileMultiplyAdds } from './register-tile';
import { filterTilingFor, parseTiling, stagingOf, threadsOf, type FilterTiling } from './filter-tiling';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** Parsed tilings, by spec: each is parsed (and checked) once. */
const parsed = new Map<string, FilterTiling>();
const tilingOf = (spec: string) => parsed.get(spec) ?? parsed.set(spec, parseTiling(spec)).get(spec)!;

/**
 * An implicit GEMM: dW[m, co] = sum over p of A[p, m] * dy[p, co], where p runs over (batch, output row, output
 * column), m over (kernel row, kernel column, input channel), and A[p, m] is the input pixel that tap m saw at output
 * position p (zero in the padding). The tiling (./filter-tiling.ts) sets the block of dW per workgroup and per thread
 * and how many positions are staged at a time. Tiles live in workgroup memory as rows of vec4s, so a thread reads its
 * 4 filter taps, or 4 output channels, in one load. Workgroups along z take separate ranges of p (split-K); a second
 * pass adds their partial blocks.
 */
class PartialSumsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, inHeight : i32, inWidth : i32, inChannels : i32, outHeight : i32, outWidth : i32, outChannels : i32, filterWidth : i32, mCount : i32, positions : i32, chunksPerSplit : i32,';
  shaderKey: string;
  workgroupSize: [number, number, number];
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableComponents?: number[];
  private readonly t: FilterTiling;

  constructor(outputShape: number[], mCount: number, outChannels: number, splits: number, spec: string) {
    this.t = tilingOf(spec);
    this.shaderKey = `ownConv2DBackpropFilterTiled_${spec}`;
    this.outputShape = outputShape;
    this.dispatchLayout = flatDispatchLayout(outputShape);
    this.workgroupSize = [...threadsOf(this.t), 1];
    this.dispatch = [Math.ceil(outChannels / this.t.tileN), Math.ceil(mCount / this.t.tileM), splits];
    // With 4-channel loads, x and dy are bound as arrays of vec4s.
    if (this.t.vec4) this.variableComponents = [4, 4];
  }

  getUserCode(): string {
    const { tileM, tileN, rowsPerThread: rows, stageRows, prefetch, vec4 } = this.t;
    const [tx] = threadsOf(this.t);
    // A thread stages rows first, first + step, ... of each tile: perA of A's, perB of dy's; a value or 4 at a time.
    const { colsA, colsB, stepA, stepB, perA, perB } = stagingOf(this.t);
    const [value, zero, per] = stagedValue(vec4);
    const fma = tileMultiplyAdds(rows);
    // The sums are written with every index into acc a constant: indexing a thread's array with a loop variable can
    // make a GPU compiler keep the whole array in memory instead of registers, multiply-adds included.
    const write = Array.from(
      { length: rows },
      (_, i) => `if (m0 + ty * ${rows} + ${i} < uniforms.mCount) {
        let at = base + (m0 + ty * ${rows} + ${i}) * uniforms.outChannels + c;
        ${['x', 'y', 'z', 'w'].map((comp, j) => `if (c + ${j} < uniforms.outChannels) { setOutputAtIndex(at + ${j}, acc[${i}].${comp}); }`).join('\n        ')}
      }`,
    ).join('\n      ');
    const slot = (tile: string, col: string, first: string, step: number, i: string) =>
      vec4
        ? `${tile}[${first} + ${i} * ${step}][${col}]`
        : `${tile}[${first} + ${i} * ${step}][${col} / 4][${col} % 4]`;
    const slotA = (i: string) => slot('tileA', 'colA', 'firstA', stepA, i);
    const slotB = (i: string) => slot('tileB', 'colB', 'firstB', stepB, i);
    // Reads a chunk of positions into the tiles, or with prefetching into this thread's registers.
    const load = (chunk: string) => `{
        let p0 = (split * uniforms.chunksPerSplit + ${chunk}) * ${stageRows};
        var p = p0 + firstA;
        var ox = p % uniforms.outWidth;
        var oy = (p / uniforms.outWidth) % uniforms.outHeight;
        var n = p / uniforms.outWidth / uniforms.outHeight;
        for (var i = 0; i < ${perA}; i = i + 1) {
          // A[p, m]: the input pixel that tap m sees at output position p, or 0 in the padding.
          var a = ${zero};
          let iy = oy * uniforms.strides.x + kh - uniforms.pads.x;
          let ix = ox * uniforms.strides.y + kw - uniforms.pads.y;
          if (p < uniforms.positions && tap < uniforms.mCount && iy >= 0 && iy < uniforms.inHeight && ix >= 0 && ix < uniforms.inWidth) {
            a = x[(((n * uniforms.inHeight + iy) * uniforms.inWidth + ix) * uniforms.inChannels + ci)${per}];
          }
          ${prefetch ? 'regA[i]' : slotA('i')} = a;
          p = p + ${stepA};
          ox = ox + ${stepA};
          while (ox >= uniforms.outWidth) {
            ox = ox - uniforms.outWidth;
            oy = oy + 1;
          }
          while (oy >= uniforms.outHeight) {
            oy = oy - uniforms.outHeight;
            n = n + 1;
          }
        }
        for (var i = 0; i < ${perB}; i = i + 1) {
          let q = p0 + firstB + i * ${stepB};
          var b = ${zero};
          if (q < uniforms.positions && co < uniforms.outChannels) {
            b = dy[(q * uniforms.outChannels + co)${per}];
          }
          ${prefetch ? 'regB[i]' : slotB('i')} = b;
        }
      }`;
    const store = `
        for (var i = 0; i < ${perA}; i = i + 1) {
          ${slotA('i')} = regA[i];
        }
        for (var i = 0; i < ${perB}; i = i + 1) {
          ${slotB('i')} = regB[i];
        }`;
    return `
    var<workgroup> tileA : array<array<vec4<f32>, ${tileM / 4}>, ${stageRows}>;
    var<workgroup> tileB : array<array<vec4<f32>, ${tileN / 4}>, ${stageRows}>;
    ${prefetch ? `var<private> regA : array<${value}, ${perA}>;\n    var<private> regB : array<${value}, ${perB}>;` : ''}

    ${main('index')} {
      let tx = i32(localId.x);
      let ty = i32(localId.y);
      let flat = ty * ${tx} + tx;
      let co0 = i32(workgroupId.x) * ${tileN};
      let m0 = i32(workgroupId.y) * ${tileM};
      let split = i32(workgroupId.z);
      // Staging A: a thread keeps one column (neighbours read neighbouring channels) and every ${stepA}th row, so
      // its filter tap m (the first of its 4, with vec4 loads) is split into kernel row and column and input channel
      // once, and its output positions are stepped through without dividing per element. Staging dy likewise.
      let colA = flat % ${colsA};
      let firstA = flat / ${colsA};
      let tap = m0 + colA${vec4 ? ' * 4' : ''};
      let ci = tap % uniforms.inChannels;
      let kw = (tap / uniforms.inChannels) % uniforms.filterWidth;
      let kh = tap / uniforms.inChannels / uniforms.filterWidth;
      let colB = flat % ${colsB};
      let firstB = flat / ${colsB};
      let co = co0 + colB${vec4 ? ' * 4' : ''};
      // acc[i][j]: filter row m0 + ${rows} * ty + i, output channel co0 + 4 * tx + j.
      var acc : array<vec4<f32>, ${rows}>;
      ${prefetch ? load('0') : ''}
      for (var chunk = 0; chunk < uniforms.chunksPerSplit; chunk = chunk + 1) {
        ${prefetch ? store : load('chunk')}
        workgroupBarrier();
        ${prefetch ? `if (chunk + 1 < uniforms.chunksPerSplit) ${load('chunk + 1')}` : ''}
        for (var k = 0; k < ${stageRows}; k = k + 1) {
          let b = tileB[k][tx];
          ${fma}
        }
        workgroupBarrier();
      }
      let base = split * uniforms.mCount * uniforms.outChannels;
      let c = co0 + tx * 4;
      ${write}
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
export function conv2DBackpropFilterWebGPU(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: Attrs,
  backend: WebGPUBackend,
): tf.TensorInfo | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw, ci, co] = attrs.filterShape;
  const mCount = kh * kw * ci;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const name = filterTilingFor(attrs.filterShape);
  const t = tilingOf(name);
  const chunks = Math.ceil(positions / t.stageRows);
  const tiles = Math.ceil(mCount / t.tileM) * Math.ceil(co / t.tileN);
  const chunksPerSplit = Math.ceil(chunks / Math.max(1, Math.min(chunks, Math.ceil(t.targetWorkgroups / tiles))));
  const used = Math.ceil(chunks / chunksPerSplit);
  const uniforms = [
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    ...[info.inHeight, info.inWidth, ci, info.outHeight, info.outWidth, co, kw, mCount, positions, chunksPerSplit].map(
      i32,
    ),
  ];
  if (used === 1)
    return backend.runWebGPUProgram(
      new PartialSumsProgram(attrs.filterShape, mCount, co, 1, name),
      [x, dy],
      'float32',
      uniforms,
    );
  const partial = backend.runWebGPUProgram(
    new PartialSumsProgram([used, mCount * co], mCount, co, used, name),
    [x, dy],
    'float32',
    uniforms,
  );
  try {
    return backend.runWebGPUProgram(new SumSplitsProgram(attrs.filterShape), [partial], 'float32', [i32(used)]);
  } finally {
    backend.disposeData(partial.dataId);
  }
}
