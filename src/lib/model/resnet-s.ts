// ResNet-S, the reference pets model (../shared/reference/README.md, section 1), written with TF.js ops so our own
// training loop can take its gradients: stem conv3x3/2 -> 4 stages of BasicBlocks -> global average pool -> dense.
// Widths and blocks per stage are configurable for the deeper/wider comparisons. NHWC, BatchNorm as PyTorch's.
import * as tf from '@tensorflow/tfjs-core';
import { kaimingConv, seededRng, uniforms } from './init';
import { trainBatchNormAutodiff, trainBatchNormOps } from './batch-norm-ops';
import { fusedBatchNorm, kernelSet } from '../kernels/switches';
import { globalAvgPool, globalAvgPoolAutodiff } from './avg-pool';
// Gradients are registered separately from the ops in tfjs-core; our own training loop needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

import { RESNET_S, type ResNetConfig } from './config';

export { RESNET_S, type ResNetConfig } from './config';

/** BatchNorm as PyTorch: running = 0.9 * running + 0.1 * batch (TF.js momentum 0.9), eps 1e-5. */
export const BN_MOMENTUM = 0.1;
export const BN_EPS = 1e-5;

export type ParamKind = 'conv' | 'bn-weight' | 'bn-bias' | 'bn-mean' | 'bn-var' | 'dense-weight' | 'dense-bias';

export interface Param {
  name: string;
  variable: tf.Variable;
  kind: ParamKind;
  /** Discriminative learning-rate group: 0 = stem + stages 1-2, 1 = stages 3-4, 2 = head. */
  group: number;
}

interface ConvBn {
  conv: Param;
  gamma: Param;
  beta: Param;
  mean: Param;
  variance: Param;
  stride: number;
  pad: number;
}

interface Block {
  a: ConvBn;
  b: ConvBn;
  shortcut: ConvBn | null;
}

export interface ResNet {
  config: ResNetConfig;
  stem: ConvBn;
  stages: Block[][];
  headW: Param;
  headB: Param;
  params: Param[];
}

/** The group of the layer in stage `s` (0-based): stages 1-2 share the stem's group. */
const stageGroup = (s: number) => (s < 2 ? 0 : 1);

let built = 0;

export function buildResNet(config: ResNetConfig = RESNET_S, seed = 42): ResNet {
  const rng = seededRng(seed);
  // TF.js variable names are global: prefix each model's with its own number.
  const prefix = `resnet${built++}/`;
  const params: Param[] = [];
  const add = (name: string, kind: ParamKind, group: number, values: Float32Array | number[], shape: number[]) => {
    const trainable = kind !== 'bn-mean' && kind !== 'bn-var';
    // tf.variable shares the initial tensor's data and keeps it alive until that tensor is disposed too: free it here,
    // or every model leaks its initial weights (one tensor and its bytes per parameter).
    const initial = tf.tensor(values, shape, 'float32');
    const p: Param = { name, kind, group, variable: tf.variable(initial, trainable, prefix + name) };
    initial.dispose();
    params.push(p);
    return p;
  };
  const convBn = (name: string, k: number, cin: number, cout: number, stride: number, group: number): ConvBn => ({
    conv: add(`${name}.conv`, 'conv', group, kaimingConv(k, k, cin, cout, rng), [k, k, cin, cout]),
    gamma: add(`${name}.bn.weight`, 'bn-weight', group, new Array(cout).fill(1), [cout]),
    beta: add(`${name}.bn.bias`, 'bn-bias', group, new Array(cout).fill(0), [cout]),
    mean: add(`${name}.bn.running_mean`, 'bn-mean', group, new Array(cout).fill(0), [cout]),
    variance: add(`${name}.bn.running_var`, 'bn-var', group, new Array(cout).fill(1), [cout]),
    stride,
    pad: k === 3 ? 1 : 0,
  });
  const stem = convBn('stem', 3, 3, config.widths[0]!, 2, 0);
  const stages: Block[][] = [];
  let cin = config.widths[0]!;
  config.widths.forEach((cout, s) => {
    const blocks: Block[] = [];
    for (let i = 0; i < (config.blocks[s] ?? 1); i++) {
      const stride = i === 0 && s > 0 ? 2 : 1;
      const name = `stages.${s}.${i}`;
      const g = stageGroup(s);
      blocks.push({
        a: convBn(`${name}.a`, 3, cin, cout, stride, g),
        b: convBn(`${name}.b`, 3, cout, cout, 1, g),
        shortcut: stride !== 1 || cin !== cout ? convBn(`${name}.shortcut`, 1, cin, cout, stride, g) : null,
      });
      cin = cout;
    }
    stages.push(blocks);
  });
  const bound = 1 / Math.sqrt(cin);
  const headW = add('head.weight', 'dense-weight', 2, uniforms(cin * config.classes, bound, rng), [
    cin,
    config.classes,
  ]);
  const headB = add('head.bias', 'dense-bias', 2, uniforms(config.classes, bound, rng), [config.classes]);
  return { config, stem, stages, headW, headB, params };
}

/**
 * How one training batch moves a BatchNorm's running averages: running = a * running + b * batch statistic, the
 * variance unbiased as PyTorch does (bVar includes count / (count - 1)).
 */
export interface RunningUpdate {
  mean: tf.Variable;
  variance: tf.Variable;
  a: number;
  bMean: number;
  bVar: number;
}

/** The running-average update of a BatchNorm over `count` rows (N * H * W). */
function runningUpdate(l: ConvBn, count: number): RunningUpdate {
  const unbias = count / Math.max(1, count - 1);
  return {
    mean: l.mean.variable,
    variance: l.variance.variable,
    a: 1 - BN_MOMENTUM,
    bMean: BN_MOMENTUM,
    bVar: BN_MOMENTUM * unbias,
  };
}

/** Batch statistics of one BatchNorm in training mode, for updating its running averages after the step. */
export interface BnStats {
  running: RunningUpdate;
  /** [2, C]: the batch mean, then the biased batch variance. */
  moments: tf.Tensor2D;
}

/**
 * BatchNorm, then the optional skip connection and ReLU that follow it in ResNet-S: with batch statistics (training)
 * and the running-average update, or with the running averages (inference). TF.js ops by default; a backend may
 * supply fused kernels (see ../kernels/register.ts).
 */
export interface BatchNormKernels {
  infer(
    x: tf.Tensor4D,
    mean: tf.Tensor1D,
    variance: tf.Tensor1D,
    gamma: tf.Tensor1D,
    beta: tf.Tensor1D,
    skip: tf.Tensor4D | null,
    relu: boolean,
  ): tf.Tensor4D;
  /**
   * With batch statistics, returned as moments ([2, C]: mean, biased variance). A kernel may also apply `running` as
   * it computes them (runningUpdated); otherwise the caller does, after the step, with updateRunning.
   */
  apply(
    x: tf.Tensor4D,
    gamma: tf.Tensor1D,
    beta: tf.Tensor1D,
    skip: tf.Tensor4D | null,
    relu: boolean,
    running: RunningUpdate,
  ): { out: tf.Tensor4D; moments: tf.Tensor2D; runningUpdated: boolean };
  updateRunning(running: RunningUpdate, moments: tf.Tensor2D): void;
}

/** BatchNorm from TF.js ops: any backend, and the parts a backend's own kernels leave to ops. */
export const opsBatchNorm: BatchNormKernels = {
  infer(x, mean, variance, gamma, beta, skip, relu) {
    let out = tf.batchNorm(x, mean, variance, beta, gamma, BN_EPS);
    if (skip) out = tf.add(out, skip);
    return relu ? tf.relu(out) : out;
  },
  // Our gradient (half the ops of TF.js's, no Tile), or TF.js's own with the stock kernel set.
  apply: (x, gamma, beta, skip, relu) => ({
    ...(kernelSet() === 'ours' ? trainBatchNormOps : trainBatchNormAutodiff)(x, gamma, beta, skip, relu, BN_EPS),
    runningUpdated: false,
  }),
  updateRunning({ mean, variance, a, bMean, bVar }, moments) {
    tf.tidy(() => {
      const [batchMean, batchVar] = tf.unstack(moments);
      mean.assign(tf.add(tf.mul(mean, a), tf.mul(batchMean!, bMean)));
      variance.assign(tf.add(tf.mul(variance, a), tf.mul(batchVar!, bVar)));
    });
  },
};

const batchNormKernels = (): BatchNormKernels => fusedBatchNorm() ?? opsBatchNorm;

/** conv -> BatchNorm [-> + skip] [-> ReLU]. */
function convBn(
  l: ConvBn,
  x: tf.Tensor4D,
  training: boolean,
  stats: BnStats[],
  skip: tf.Tensor4D | null,
  relu: boolean,
): tf.Tensor4D {
  const p = l.pad;
  const y = tf.conv2d(
    x,
    l.conv.variable as tf.Tensor4D,
    l.stride,
    p === 0
      ? 'valid'
      : [
          [0, 0],
          [p, p],
          [p, p],
          [0, 0],
        ],
  );
  const gamma = l.gamma.variable as tf.Tensor1D;
  const beta = l.beta.variable as tf.Tensor1D;
  if (!training)
    return batchNormKernels().infer(
      y,
      l.mean.variable as tf.Tensor1D,
      l.variance.variable as tf.Tensor1D,
      gamma,
      beta,
      skip,
      relu,
    );
  const [n, h, w] = y.shape;
  const running = runningUpdate(l, n * h * w);
  const { out, moments, runningUpdated } = batchNormKernels().apply(y, gamma, beta, skip, relu, running);
  if (runningUpdated) moments.dispose();
  else stats.push({ running, moments: tf.keep(moments) });
  return out;
}

/**
 * The logits. In training mode BatchNorm uses batch statistics; those not yet folded into the running averages are
 * pushed onto `stats`, for updateRunningStats after the step.
 */
export function forward(model: ResNet, x: tf.Tensor4D, training: boolean, stats: BnStats[] = []): tf.Tensor2D {
  let h = convBn(model.stem, x, training, stats, null, true);
  for (const stage of model.stages) h = runStage(stage, h, training, stats);
  return head(model, h);
}

function runStage(stage: Block[], x: tf.Tensor4D, training: boolean, stats: BnStats[]): tf.Tensor4D {
  let h = x;
  for (const block of stage) {
    const a = convBn(block.a, h, training, stats, null, true);
    const skip = block.shortcut ? convBn(block.shortcut, h, training, stats, null, false) : h;
    h = convBn(block.b, a, training, stats, skip, true);
  }
  return h;
}

function head(model: ResNet, h: tf.Tensor4D): tf.Tensor2D {
  // Our gradient, or TF.js's with the stock kernel set.
  const pooled = (kernelSet() === 'ours' ? globalAvgPool : globalAvgPoolAutodiff)(h);
  return tf.add(tf.matMul(pooled, model.headW.variable as tf.Tensor2D), model.headB.variable) as tf.Tensor2D;
}

/** Inference with the activation after the stem and after each stage kept (for feature maps), and the logits. */
export function forwardStages(model: ResNet, x: tf.Tensor4D): { stages: tf.Tensor4D[]; logits: tf.Tensor2D } {
  const stages = [convBn(model.stem, x, false, [], null, true)];
  for (const stage of model.stages) stages.push(runStage(stage, stages.at(-1)!, false, []));
  return { stages, logits: head(model, stages.at(-1)!) };
}

/** Folds one step's batch statistics into the running averages (PyTorch: unbiased variance) and frees them. */
export function updateRunningStats(stats: BnStats[]): void {
  const bn = batchNormKernels();
  for (const s of stats) {
    bn.updateRunning(s.running, s.moments);
    s.moments.dispose();
  }
}

export const countParams = (model: ResNet, kinds?: ParamKind[]): number =>
  model.params.filter((p) => !kinds || kinds.includes(p.kind)).reduce((n, p) => n + p.variable.size, 0);

/** The learnable parameters (running statistics excluded). */
export const learnable = (model: ResNet): Param[] =>
  model.params.filter((p) => p.kind !== 'bn-mean' && p.kind !== 'bn-var');

export function disposeModel(model: ResNet): void {
  for (const p of model.params) p.variable.dispose();
}
