// BatchNorm in training mode on WebGPU, fused with what follows it in ResNet-S (the residual add and the ReLU), in
// 2 dispatches forward (the first also updating the running averages) and 2 backward per layer. TF.js's ops take
// about 20: tf.moments (transposes, reductions, squared differences), batchNorm, add, relu, and their gradients,
// each one or more dispatches, and the running averages after the step.
//
// x is NHWC, seen as M = N*H*W rows of C channels. With xhat = (x - mean) / sqrt(var + eps) (biased variance):
//   forward   y = act(gamma * xhat + beta [+ skip])                  act = ReLU or none
//   backward  dz = dy * (y > 0) with ReLU, else dy;  dbeta = sum(dz);  dgamma = sum(dz * xhat)
//             dx = gamma / sqrt(var + eps) * (dz - dbeta / M - xhat * dgamma / M);  dskip = dz
import * as tf from '@tensorflow/tfjs-core';
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ElementwiseProgram, FlatProgram, f32, i32, runProgram } from './flat-program';
import { lanesFor, sumAcrossLanes } from './lane-sum';
import { emptyTensor, ownsBuffer, runInPlace, type InPlaceShader } from './in-place';
import type { RunningUpdate } from '../../model/resnet-s';

/**
 * WGSL: the entry point of a per-channel reduction, one workgroup of `lanes` threads per channel; `body` sees the
 * channel c, the channel count C, its thread's lane and sumAcrossLanes. Needs a uniform `channels`.
 */
const perChannelMain = (lanes: number, body: string) => `
  var<private> localIndex : u32;
  ${sumAcrossLanes(lanes)}
  @compute @workgroup_size(${lanes})
  fn main(@builtin(workgroup_id) workgroupId : vec3<u32>, @builtin(local_invocation_index) lane : u32) {
    localIndex = lane;
    let c = i32(workgroupId.x);
    let C = uniforms.channels;
    ${body}
  }`;

/**
 * Mean (row 0) and biased variance (row 1) of each channel, [2, C], in two passes over x as tf.moments; with
 * `running`, folded into the running averages in place as well, which saves a dispatch per layer. Each thread strides
 * down the M rows, then the workgroup sums across lanes.
 */
function momentsShader(running: boolean, lanes: number): InPlaceShader {
  return {
    key: `ownBnMoments_${running}_${lanes}`,
    workgroupSize: lanes,
    code: `
  struct Uniforms { channels : i32, rows : i32, a : f32, bMean : f32, bVar : f32, };
  @group(0) @binding(0) var<storage, read_write> moments : array<f32>;
  ${running ? '@group(0) @binding(1) var<storage, read_write> runningMean : array<f32>;\n  @group(0) @binding(2) var<storage, read_write> runningVar : array<f32>;' : ''}
  @group(0) @binding(${running ? 3 : 1}) var<storage, read> x : array<f32>;
  @group(0) @binding(${running ? 4 : 2}) var<uniform> uniforms : Uniforms;
  ${perChannelMain(
    lanes,
    `
    var s = 0.0;
    for (var r = i32(lane); r < uniforms.rows; r = r + ${lanes}) {
      s = s + x[r * C + c];
    }
    let mean = sumAcrossLanes(s) / f32(uniforms.rows);
    var q = 0.0;
    for (var r = i32(lane); r < uniforms.rows; r = r + ${lanes}) {
      let d = x[r * C + c] - mean;
      q = q + d * d;
    }
    let variance = sumAcrossLanes(q) / f32(uniforms.rows);
    if (lane == 0u) {
      moments[c] = mean;
      moments[C + c] = variance;${
        running
          ? `
      runningMean[c] = uniforms.a * runningMean[c] + uniforms.bMean * mean;
      runningVar[c] = uniforms.a * runningVar[c] + uniforms.bVar * variance;`
          : ''
      }
    }`,
  )}`,
  };
}

/** One shader per variant, compiled once. */
function cached<A extends unknown[]>(make: (...args: A) => InPlaceShader): (...args: A) => InPlaceShader {
  const shaders = new Map<string, InPlaceShader>();
  return (...args) => {
    const key = args.join('_');
    let shader = shaders.get(key);
    if (!shader) shaders.set(key, (shader = make(...args)));
    return shader;
  };
}
const momentsFor = cached(momentsShader);

/** WGSL for dz at flat index `i`: the upstream gradient, masked by the ReLU's output when there is one. */
const dz = (relu: boolean, i = 'i') => (relu ? `select(0.0, dy[${i}], y[${i}] > 0.0)` : `dy[${i}]`);

/**
 * dbeta (sum of dz) and dgamma (sum of dz * xhat) of each channel, both from one pass over dy and x: one workgroup
 * per channel, writing two new tensors (a TF.js program writes only one, which took two dispatches and two passes).
 */
function paramGradsShader(relu: boolean, lanes: number): InPlaceShader {
  return {
    key: `ownBnParamGrads_${relu}_${lanes}`,
    workgroupSize: lanes,
    code: `
  struct Uniforms { channels : i32, rows : i32, eps : f32, };
  @group(0) @binding(0) var<storage, read_write> dbeta : array<f32>;
  @group(0) @binding(1) var<storage, read_write> dgamma : array<f32>;
  @group(0) @binding(2) var<storage, read> dy : array<f32>;
  @group(0) @binding(3) var<storage, read> x : array<f32>;
  @group(0) @binding(4) var<storage, read> moments : array<f32>;
  ${relu ? '@group(0) @binding(5) var<storage, read> y : array<f32>;' : ''}
  @group(0) @binding(${relu ? 6 : 5}) var<uniform> uniforms : Uniforms;
  ${perChannelMain(
    lanes,
    `
    let mean = moments[c];
    let invStd = inverseSqrt(moments[C + c] + uniforms.eps);
    var sumDz = 0.0;
    var sumDzXhat = 0.0;
    for (var r = i32(lane); r < uniforms.rows; r = r + ${lanes}) {
      let i = r * C + c;
      let g = ${dz(relu)};
      sumDz = sumDz + g;
      sumDzXhat = sumDzXhat + g * (x[i] - mean) * invStd;
    }
    let dbetaC = sumAcrossLanes(sumDz);
    let dgammaC = sumAcrossLanes(sumDzXhat);
    if (lane == 0u) {
      dbeta[c] = dbetaC;
      dgamma[c] = dgammaC;
    }`,
  )}`,
  };
}
const paramGradsFor = cached(paramGradsShader);

/**
 * The forward pass: normalise, scale, shift, add the skip connection, ReLU. Statistics from the batch ([2, C]
 * moments, training) or the running averages (mean and variance, inference).
 */
class ApplyProgram extends FlatProgram {
  variableNames: string[];
  uniforms = 'channels : i32, eps : f32,';
  shaderKey: string;

  constructor(
    shape: number[],
    private readonly skip: boolean,
    private readonly relu: boolean,
    private readonly stats: 'batch' | 'running' = 'batch',
  ) {
    super(shape);
    this.variableNames = [
      'x',
      ...(stats === 'batch' ? ['moments'] : ['mean', 'variance']),
      'gamma',
      'beta',
      ...(skip ? ['skip'] : []),
    ];
    this.shaderKey = `ownBnApply_${skip}_${relu}_${stats}`;
  }

  getUserCode(): string {
    const [mean, variance] =
      this.stats === 'batch' ? ['moments[c]', 'moments[uniforms.channels + c]'] : ['mean[c]', 'variance[c]'];
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        let c = index % uniforms.channels;
        let xhat = (x[index] - ${mean}) * inverseSqrt(${variance} + uniforms.eps);
        let v = gamma[c] * xhat + beta[c]${this.skip ? ' + skip[index]' : ''};
        setOutputAtIndex(index, ${this.relu ? 'max(v, 0.0)' : 'v'});
      }
    }`;
  }
}

/** The input gradient, from dz, the statistics and the two parameter gradients. */
class InputGradProgram extends FlatProgram {
  variableNames: string[];
  uniforms = 'channels : i32, rows : i32, eps : f32,';
  shaderKey: string;

  constructor(
    shape: number[],
    private readonly relu: boolean,
  ) {
    super(shape);
    this.variableNames = ['dy', 'x', 'moments', 'gamma', 'dbeta', 'dgamma', ...(relu ? ['y'] : [])];
    this.shaderKey = `ownBnInputGrad_${relu}`;
  }

  getUserCode(): string {
    return `
    ${main('i')} {
      if (i < uniforms.size) {
        let c = i % uniforms.channels;
        let invStd = inverseSqrt(moments[uniforms.channels + c] + uniforms.eps);
        let xhat = (x[i] - moments[c]) * invStd;
        let m = f32(uniforms.rows);
        let g = ${dz(this.relu)};
        setOutputAtIndex(i, gamma[c] * invStd * (g - dbeta[c] / m - xhat * dgamma[c] / m));
      }
    }`;
  }
}

export interface TrainBatchNormResult {
  out: tf.Tensor4D;
  /** [2, C]: the batch mean, then the biased batch variance, kept for the running averages (caller disposes). */
  moments: tf.Tensor2D;
  /** Whether `running` was applied already (in place, with the statistics). */
  runningUpdated: boolean;
}

/**
 * act(batchNorm(x) [+ skip]) with batch statistics, differentiable in x, gamma, beta and skip through our backward
 * kernels (tf.customGrad). The running averages are updated in the same dispatch as the statistics when both
 * variables own their buffers (not while lr_find's snapshot shares them); otherwise the caller updates them.
 */
export function trainBatchNormWebGPU(
  backend: WebGPUBackend,
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  skip: tf.Tensor4D | null,
  relu: boolean,
  eps: number,
  running: RunningUpdate | null = null,
): TrainBatchNormResult {
  const channels = x.shape[3];
  const rows = x.size / channels;
  const dims = [i32(channels), i32(rows), f32(eps)];
  const lanes = lanesFor(rows);
  const inPlace = running !== null && ownsBuffer(backend, running.mean) && ownsBuffer(backend, running.variance);
  let moments: tf.Tensor2D | null = null;
  const forward = (save: tf.GradSaveFunc, inputs: tf.Tensor[]) => {
    const m = emptyTensor(backend, [2, channels]) as tf.Tensor2D;
    const blend = running ? [f32(running.a), f32(running.bMean), f32(running.bVar)] : [f32(0), f32(0), f32(0)];
    runInPlace(
      backend,
      momentsFor(inPlace, lanes),
      inPlace ? [m, running!.mean, running!.variance] : [m],
      [x],
      [i32(channels), i32(rows), ...blend],
      channels * lanes,
    );
    const out = runProgram(
      backend,
      new ApplyProgram(x.shape, !!skip, relu),
      skip ? [x, m, gamma, beta, skip] : [x, m, gamma, beta],
      [i32(channels), f32(eps)],
    ) as tf.Tensor4D;
    moments = tf.keep(m);
    // The forward pass's intermediates (x among them) are freed before the backward pass; saved ones are kept.
    save(relu ? [x, m, out] : [x, m]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, ms, y] = saved as [tf.Tensor4D, tf.Tensor2D, tf.Tensor4D | undefined];
      const mask = relu ? [y!] : [];
      const dbeta = emptyTensor(backend, [channels]);
      const dgamma = emptyTensor(backend, [channels]);
      runInPlace(backend, paramGradsFor(relu, lanes), [dbeta, dgamma], [dy, xs, ms, ...mask], dims, channels * lanes);
      const dx = runProgram(
        backend,
        new InputGradProgram(x.shape, relu),
        relu ? [dy, xs, ms, gamma, dbeta, dgamma, y!] : [dy, xs, ms, gamma, dbeta, dgamma],
        dims,
      );
      const grads = [dx, dgamma, dbeta];
      // dskip = dz: dy where the ReLU's output is positive (a clone without ReLU shares dy's data, no dispatch).
      if (inputs.length === 4)
        grads.push(
          relu
            ? runProgram(
                backend,
                new ElementwiseProgram(['dy', 'y'], '', dz(true, 'index'), 'ownReluGrad', x.shape),
                [dy, y!],
                [],
              )
            : tf.clone(dy),
        );
      return grads;
    };
    return { value: out, gradFunc };
  };
  // customGrad differentiates in the tensors it is called with and passes `save` after them.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    return forward(save, args as tf.Tensor[]);
  });
  const out = skip ? op(x, gamma, beta, skip) : op(x, gamma, beta);
  return { out: out as tf.Tensor4D, moments: moments!, runningUpdated: inPlace };
}

/** act(batchNorm(x) [+ skip]) with the running averages (inference) in one dispatch instead of up to three. */
export function inferBatchNormWebGPU(
  backend: WebGPUBackend,
  x: tf.Tensor4D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  skip: tf.Tensor4D | null,
  relu: boolean,
  eps: number,
): tf.Tensor4D {
  const inputs = [x, mean, variance, gamma, beta, ...(skip ? [skip] : [])];
  return runProgram(backend, new ApplyProgram(x.shape, !!skip, relu, 'running'), inputs, [
    i32(x.shape[3]),
    f32(eps),
  ]) as tf.Tensor4D;
}

/**
 * Folds the batch statistics into a BatchNorm's running averages, when trainBatchNormWebGPU could not (a variable
 * shared its buffer): one blend each and assignment, after which the variables own their buffers again.
 */
export function updateRunningWebGPU(
  backend: WebGPUBackend,
  { mean, variance, a, bMean, bVar }: RunningUpdate,
  moments: tf.Tensor2D,
): void {
  // a * running + b * moments[row], as a new tensor.
  const blend = () =>
    new ElementwiseProgram(
      ['running', 'moments'],
      'row : i32, a : f32, b : f32,',
      'uniforms.a * running[index] + uniforms.b * moments[uniforms.row * uniforms.size + index]',
      'ownBnBlendRow',
      [mean.size],
    );
  const m = runProgram(backend, blend(), [mean, moments], [i32(0), f32(a), f32(bMean)]);
  const v = runProgram(backend, blend(), [variance, moments], [i32(1), f32(a), f32(bVar)]);
  mean.assign(m);
  variance.assign(v);
  tf.dispose([m, v]);
}
