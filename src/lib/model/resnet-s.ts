// ResNet-S, the reference pets model (../shared/reference/README.md, section 1), written with TF.js ops so our own
// training loop can take its gradients: stem conv3x3/2 -> 4 stages of BasicBlocks -> global average pool -> dense.
// Widths and blocks per stage are configurable for the deeper/wider comparisons. NHWC, BatchNorm as PyTorch's.
import * as tf from '@tensorflow/tfjs-core';
import { kaimingConv, seededRng, uniforms } from './init';
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
    const p: Param = { name, kind, group, variable: tf.variable(tf.tensor(values, shape, 'float32'), trainable, prefix + name) };
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
  const headW = add('head.weight', 'dense-weight', 2, uniforms(cin * config.classes, bound, rng), [cin, config.classes]);
  const headB = add('head.bias', 'dense-bias', 2, uniforms(config.classes, bound, rng), [config.classes]);
  return { config, stem, stages, headW, headB, params };
}

/** Batch statistics of one BatchNorm in training mode, for updating its running averages after the step. */
export interface BnStats {
  layer: ConvBn;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  count: number;
}

function convBnForward(l: ConvBn, x: tf.Tensor4D, training: boolean, stats: BnStats[]): tf.Tensor4D {
  const p = l.pad;
  const y = tf.conv2d(x, l.conv.variable as tf.Tensor4D, l.stride, p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]]);
  if (!training) return tf.batchNorm(y, l.mean.variable as tf.Tensor1D, l.variance.variable as tf.Tensor1D, l.beta.variable as tf.Tensor1D, l.gamma.variable as tf.Tensor1D, BN_EPS);
  const m = tf.moments(y, [0, 1, 2]);
  const [n, h, w] = y.shape;
  stats.push({ layer: l, mean: tf.keep(m.mean as tf.Tensor1D), variance: tf.keep(m.variance as tf.Tensor1D), count: n * h * w });
  return tf.batchNorm(y, m.mean as tf.Tensor1D, m.variance as tf.Tensor1D, l.beta.variable as tf.Tensor1D, l.gamma.variable as tf.Tensor1D, BN_EPS);
}

/** Activations before the pool (the "body" output), and the logits. */
export function forward(model: ResNet, x: tf.Tensor4D, training: boolean, stats: BnStats[] = []): tf.Tensor2D {
  let h = tf.relu(convBnForward(model.stem, x, training, stats));
  for (const stage of model.stages) {
    for (const block of stage) {
      const a = tf.relu(convBnForward(block.a, h, training, stats));
      const b = convBnForward(block.b, a, training, stats);
      const shortcut = block.shortcut ? convBnForward(block.shortcut, h, training, stats) : h;
      h = tf.relu(tf.add(b, shortcut));
    }
  }
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  return tf.add(tf.matMul(pooled, model.headW.variable as tf.Tensor2D), model.headB.variable) as tf.Tensor2D;
}

/** a * x + b * y; a backend may supply a one-dispatch version (see ../gpu/register.ts). */
export type Axpby = (x: tf.Tensor, y: tf.Tensor, a: number, b: number) => tf.Tensor;
const opsAxpby: Axpby = (x, y, a, b) => tf.add(tf.mul(x, a), tf.mul(y, b));
let fusedAxpby: (() => Axpby | null) | null = null;

export function setFusedAxpby(provider: (() => Axpby | null) | null): void {
  fusedAxpby = provider;
}

/** Folds one step's batch statistics into the running averages (PyTorch: unbiased variance) and frees them. */
export function updateRunningStats(stats: BnStats[]): void {
  const axpby = fusedAxpby?.() ?? opsAxpby;
  tf.tidy(() => {
    for (const s of stats) {
      const unbias = s.count / Math.max(1, s.count - 1);
      s.layer.mean.variable.assign(axpby(s.layer.mean.variable, s.mean, 1 - BN_MOMENTUM, BN_MOMENTUM));
      s.layer.variance.variable.assign(axpby(s.layer.variance.variable, s.variance, 1 - BN_MOMENTUM, BN_MOMENTUM * unbias));
    }
  });
  for (const s of stats) tf.dispose([s.mean, s.variance]);
}

export const countParams = (model: ResNet, kinds?: ParamKind[]): number =>
  model.params.filter((p) => !kinds || kinds.includes(p.kind)).reduce((n, p) => n + p.variable.size, 0);

/** The learnable parameters (running statistics excluded). */
export const learnable = (model: ResNet): Param[] => model.params.filter((p) => p.kind !== 'bn-mean' && p.kind !== 'bn-var');

export function disposeModel(model: ResNet): void {
  for (const p of model.params) p.variable.dispose();
}
