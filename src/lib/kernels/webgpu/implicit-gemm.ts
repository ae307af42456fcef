// The shader our WebGPU forward convolution and input gradient share (NHWC): an implicit GEMM tiled through
// workgroup memory. out[p, c] = sum over t of A[p, t] * B[t, c], where p runs over the output's positions (batch,
// row, column), c over its channels, and t over (kernel row, kernel column, channel):
// - forward: A[p, t] is the input pixel that tap t sees at output position p (zero in the padding), B the filter
//   as it lies in memory ([rows * columns * in, out]);
// - input gradient: p is a position of the layer's input and c one of its channels; t = (kernel row, column, output
//   channel); A[p, t] is the output gradient at the output position whose tap t saw p (zero where none did: past the
//   edges, or between the positions of a stride-2 layer), and B[t, c] the filter's weight from input channel c to
//   that output channel.
// Neither A nor the input gradient's transposed B is ever written out: each workgroup reads the pixels its tile
// needs straight from the tensor.
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { flatDispatchLayout } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_util';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { i32 } from './flat-program';
import { stagedValue, tileMultiplyAdds } from './register-tile';
import { gemmStagingOf, gemmThreadsOf, parseGemmTiling, type GemmKernel, type GemmTiling } from './gemm-tiling';

/** Parsed tilings, by spec: each is parsed (and checked) once. */
const parsed = new Map<string, GemmTiling>();
const tilingOf = (spec: string) => parsed.get(spec) ?? parsed.set(spec, parseGemmTiling(spec)).get(spec)!;

/** Blocks of positions along y before they go on along z (WebGPU's limit per dimension is 65,535). */
const BLOCKS_PER_ROW = 32768;

/** The convolution's geometry, NHWC, as both kernels see it (input = the forward pass's input). */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strides: [number, number];
  /** Padding before the first row and column. */
  pads: [number, number];
}

/** The attributes of TF.js's Conv2D and Conv2DBackpropInput that set a convolution's geometry. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The geometry of an NHWC convolution of an input of `inShape` by a filter of `filterShape`, as TF.js works it out. */
export function geometryOf(inShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strides: [info.strideHeight, info.strideWidth],
    pads: [info.padInfo.top, info.padInfo.left],
  };
}

class ImplicitGemmProgram implements WebGPUProgram {
  variableNames: string[];
  uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, inHeight : i32, inWidth : i32, inChannels : i32, outHeight : i32, outWidth : i32, outChannels : i32, filterWidth : i32, mCount : i32, nCount : i32, kCount : i32, chunks : i32,';
  shaderKey: string;
  workgroupSize: [number, number, number];
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableComponents?: number[];
  private readonly t: GemmTiling;

  constructor(
    private readonly kernel: GemmKernel,
    outputShape: number[],
    mCount: number,
    nCount: number,
    spec: string,
  ) {
    this.t = tilingOf(spec);
    this.variableNames = kernel === 'forward' ? ['x', 'weights'] : ['dy', 'weights'];
    // Named for the profile (the part before '_'): ownConv2DGemm, ownConv2DBackpropInputGemm.
    this.shaderKey = `ownConv2D${kernel === 'forward' ? '' : 'BackpropInput'}Gemm_${spec}`;
    this.outputShape = outputShape;
    this.dispatchLayout = flatDispatchLayout(outputShape);
    this.workgroupSize = [...gemmThreadsOf(this.t), 1];
    const mBlocks = Math.ceil(mCount / this.t.tileM);
    this.dispatch = [
      Math.ceil(nCount / this.t.tileN),
      Math.min(mBlocks, BLOCKS_PER_ROW),
      Math.ceil(mBlocks / BLOCKS_PER_ROW),
    ];
    if (this.t.vec4) this.variableComponents = [4, 4];
  }

  getUserCode(): string {
    const { tileM, tileN, rowsPerThread: rows, tileK, prefetch, vec4 } = this.t;
    const forward = this.kernel === 'forward';
    const [tx] = gemmThreadsOf(this.t);
    const s = gemmStagingOf(this.t);
    const width = vec4 ? 4 : 1;
    const [value, zero, per] = stagedValue(vec4);
    // The input gradient reads its filter tile along the terms, the forward pass along the output channels.
    const [stepB, perB] = forward ? [s.stepB, s.perB] : [s.stepBt, s.perBt];
    const fma = tileMultiplyAdds(rows);
    // Every index into acc a constant, so a GPU compiler keeps the sums in registers.
    const write = Array.from(
      { length: rows },
      (_, i) => `if (m0 + ty * ${rows} + ${i} < uniforms.mCount) {
        let at = (m0 + ty * ${rows} + ${i}) * uniforms.nCount + c;
        ${['x', 'y', 'z', 'w'].map((comp, j) => `if (c + ${j} < uniforms.nCount) { setOutputAtIndex(at + ${j}, acc[${i}].${comp}); }`).join('\n        ')}
      }`,
    ).join('\n      ');
    // A tile row of positions (or channels) r, column of terms kq: the value(s) go to tile[term][r / 4][r % 4].
    const intoRows = (tile: string, row: string, v: string) =>
      vec4
        ? [0, 1, 2, 3].map((j) => `${tile}[colA * 4 + ${j}][(${row}) / 4][(${row}) % 4] = ${v}[${j}];`).join(' ')
        : `${tile}[colA][(${row}) / 4][(${row}) % 4] = ${v};`;
    const rowA = (i: string) => `firstA + ${i} * ${s.stepA}`;
    const rowB = (i: string) => `firstB + ${i} * ${stepB}`;
    const storeA = (i: string, v: string) => intoRows('tileA', rowA(i), v);
    const storeB = (i: string, v: string) =>
      forward
        ? vec4
          ? `tileB[${rowB(i)}][colB] = ${v};`
          : `tileB[${rowB(i)}][colB / 4][colB % 4] = ${v};`
        : intoRows('tileB', rowB(i), v);
    // One term of A per thread and step: its kernel row and column and channel, worked out once per step.
    const gatherA = forward
      ? `let iy = rowY[i] + kh;
          let ix = rowX[i] + kw;
          if (termOk && iy >= 0 && iy < uniforms.inHeight && ix >= 0 && ix < uniforms.inWidth) {
            a = x[(((rowN[i] * uniforms.inHeight + iy) * uniforms.inWidth + ix) * uniforms.inChannels + ch)${per}];
          }`
      : `let sy = rowY[i] - kh;
          let sx = rowX[i] - kw;
          if (termOk && sy >= 0 && sx >= 0 && sy % uniforms.strides.x == 0 && sx % uniforms.strides.y == 0) {
            let oy = sy / uniforms.strides.x;
            let ox = sx / uniforms.strides.y;
            if (oy < uniforms.outHeight && ox < uniforms.outWidth) {
              a = dy[(((rowN[i] * uniforms.outHeight + oy) * uniforms.outWidth + ox) * uniforms.outChannels + ch)${per}];
            }
          }`;
    const gatherB = forward
      ? `let t = t0 + ${rowB('i')};
          if (t < uniforms.kCount && bCol < uniforms.nCount) {
            b = weights[(t * uniforms.outChannels + bCol)${per}];
          }`
      : `let ci = n0 + ${rowB('i')};
          if (termOk && ci < uniforms.inChannels) {
            b = weights[(((kh * uniforms.filterWidth + kw) * uniforms.inChannels + ci) * uniforms.outChannels + ch)${per}];
          }`;
    const load = (chunk: string) => `{
        let t0 = (${chunk}) * ${tileK};
        // This thread's term: (kernel row, kernel column, channel); the channel of the input (forward) or of the
        // output gradient (input gradient).
        let term = t0 + colA * ${width};
        let termOk = term < uniforms.kCount;
        let ch = term % termChannels;
        let kw = (term / termChannels) % uniforms.filterWidth;
        let kh = term / termChannels / uniforms.filterWidth;
        for (var i = 0; i < ${s.perA}; i = i + 1) {
          var a = ${zero};
          ${gatherA}
          ${prefetch ? 'regA[i] = a;' : storeA('i', 'a')}
        }
        for (var i = 0; i < ${perB}; i = i + 1) {
          var b = ${zero};
          ${gatherB}
          ${prefetch ? 'regB[i] = b;' : storeB('i', 'b')}
        }
      }`;
    const store = `
        for (var i = 0; i < ${s.perA}; i = i + 1) {
          ${storeA('i', 'regA[i]')}
        }
        for (var i = 0; i < ${perB}; i = i + 1) {
          ${storeB('i', 'regB[i]')}
        }`;
    // Each thread's rows of A (positions), split once into image, row and column: for the forward pass where the
    // kernel's first tap lands in the input, for the input gradient the position plus the padding. Rows past the
    // end get a row far outside every image, so no tap reads them.
    const rowsOfA = forward
      ? `let ox = p % uniforms.outWidth;
          let oy = (p / uniforms.outWidth) % uniforms.outHeight;
          rowN[i] = p / uniforms.outWidth / uniforms.outHeight;
          rowY[i] = select(-1048576, oy * uniforms.strides.x - uniforms.pads.x, p < uniforms.mCount);
          rowX[i] = ox * uniforms.strides.y - uniforms.pads.y;`
      : `let ix = p % uniforms.inWidth;
          let iy = (p / uniforms.inWidth) % uniforms.inHeight;
          rowN[i] = p / uniforms.inWidth / uniforms.inHeight;
          rowY[i] = select(-1048576, iy + uniforms.pads.x, p < uniforms.mCount);
          rowX[i] = ix + uniforms.pads.y;`;
    return `
    var<workgroup> tileA : array<array<vec4<f32>, ${tileM / 4}>, ${tileK}>;
    var<workgroup> tileB : array<array<vec4<f32>, ${tileN / 4}>, ${tileK}>;
    ${prefetch ? `var<private> regA : array<${value}, ${s.perA}>;\n    var<private> regB : array<${value}, ${perB}>;` : ''}
    var<private> rowN : array<i32, ${s.perA}>;
    var<private> rowY : array<i32, ${s.perA}>;
    var<private> rowX : array<i32, ${s.perA}>;

    ${main('index')} {
      let tx = i32(localId.x);
      let ty = i32(localId.y);
      let flat = ty * ${tx} + tx;
      let n0 = i32(workgroupId.x) * ${tileN};
      let m0 = (i32(workgroupId.z) * ${BLOCKS_PER_ROW} + i32(workgroupId.y)) * ${tileM};
      let termChannels = ${forward ? 'uniforms.inChannels' : 'uniforms.outChannels'};
      // Staging A: a thread keeps one column of terms (neighbours read neighbouring channels) and every
      // ${s.stepA}th position of the block.
      let colA = flat % ${s.colsA};
      let firstA = flat / ${s.colsA};
      for (var i = 0; i < ${s.perA}; i = i + 1) {
        let p = m0 + firstA + i * ${s.stepA};
        {
          ${rowsOfA}
        }
      }
      ${
        forward
          ? `// Staging the filter: a thread keeps one column of output channels and every ${stepB}th term.
      let colB = flat % ${s.colsB};
      let firstB = flat / ${s.colsB};
      let bCol = n0 + colB * ${width};`
          : `// Staging the filter: a thread keeps the column of terms it stages A with, and every ${stepB}th channel.
      let firstB = firstA;`
      }
      // acc[i][j]: position m0 + ${rows} * ty + i, channel n0 + 4 * tx + j.
      var acc : array<vec4<f32>, ${rows}>;
      ${prefetch ? load('0') : ''}
      for (var chunk = 0; chunk < uniforms.chunks; chunk = chunk + 1) {
        ${prefetch ? store : load('chunk')}
        workgroupBarrier();
        ${prefetch ? `if (chunk + 1 < uniforms.chunks) ${load('chunk + 1')}` : ''}
        for (var k = 0; k < ${tileK}; k = k + 1) {
          let b = tileB[k][tx];
          ${fma}
        }
        workgroupBarrier();
      }
      let c = n0 + tx * 4;
      ${write}
    }`;
  }
}

/**
 * Runs one of the two kernels with the tiling `spec`: `a` is the input (forward) or the output gradient (input
 * gradient), `weights` the filter [rows, columns, in, out]. The output is [batch, outHeight, outWidth, outChannels]
 * for the forward pass, [batch, inHeight, inWidth, inChannels] for the input gradient.
 */
export function runImplicitGemm(
  kernel: GemmKernel,
  g: ConvGeometry,
  a: tf.TensorInfo,
  weights: tf.TensorInfo,
  spec: string,
  backend: WebGPUBackend,
): tf.TensorInfo {
  const forward = kernel === 'forward';
  const outputShape = forward
    ? [g.batch, g.outHeight, g.outWidth, g.outChannels]
    : [g.batch, g.inHeight, g.inWidth, g.inChannels];
  const mCount = outputShape[0]! * outputShape[1]! * outputShape[2]!;
  const nCount = outputShape[3]!;
  const kCount = g.filterHeight * g.filterWidth * (forward ? g.inChannels : g.outChannels);
  const t = tilingOf(spec);
  const uniforms = [
    { type: 'int32', data: g.pads },
    { type: 'int32', data: g.strides },
    ...[
      g.inHeight,
      g.inWidth,
      g.inChannels,
      g.outHeight,
      g.outWidth,
      g.outChannels,
      g.filterWidth,
      mCount,
      nCount,
      kCount,
      Math.ceil(kCount / t.tileK),
    ].map(i32),
  ];
  // TF.js compiles a program once per shader key, which includes how the inputs' shapes compare with the output's
  // (ranks, broadcast dimensions): run on flat views, one pipeline serves every layer with the same tiling, where 4D
  // shapes would compile one for 1x1 and 3x3, batch 1 and more. The shader indexes the buffers itself.
  const flat = (t: tf.TensorInfo): tf.TensorInfo => ({
    dataId: t.dataId,
    dtype: t.dtype,
    shape: [t.shape.reduce((p, d) => p * d, 1)],
  });
  const program = new ImplicitGemmProgram(kernel, [mCount * nCount], mCount, nCount, spec);
  const out = backend.runWebGPUProgram(program, [flat(a), flat(weights)], 'float32', uniforms);
  return { ...out, shape: outputShape };
}
