// BatchNorm in training mode (batch statistics), then the optional skip connection and ReLU, from TF.js ops with a
// hand-written gradient. TF.js's own gradients of tf.moments and tf.batchNorm tile the statistics to the full
// activation size and take about twice the ops; on the wasm backend that Tile alone was 10% of a training step.
// The maths is the one our WebGPU kernels use (../gpu/batch-norm.ts), with xhat = (x - mean) / sqrt(var + eps):
//   dz = dy * (out > 0) with ReLU;  dbeta = sum(dz);  dgamma = sum(dz * xhat)
//   dx = gamma / sqrt(var + eps) * (dz - (dbeta + xhat * dgamma) / M);  dskip = dz
import * as tf from '@tensorflow/tfjs-core';

const AXES = [0, 1, 2];

/** act(batchNorm(x) [+ skip]) with batch statistics; also returns them, [2, C] (mean, biased variance), kept. */
export type TrainBatchNorm = (
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  skip: tf.Tensor4D | null,
  relu: boolean,
  eps: number,
) => { out: tf.Tensor4D; moments: tf.Tensor2D };

export const trainBatchNormOps: TrainBatchNorm = (x, gamma, beta, skip, relu, eps) => {
  let moments: tf.Tensor2D | null = null;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const hasSkip = args.length === 4;
    const { mean, variance } = tf.moments(x, AXES);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(x, mean), invStd);
    let out = tf.add(tf.mul(xhat, gamma), beta);
    if (skip) out = tf.add(out, skip);
    if (relu) out = tf.relu(out);
    moments = tf.keep(tf.stack([mean, variance]) as tf.Tensor2D);
    save([xhat, invStd, out]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xh, inv, y] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D];
      const dz = relu ? tf.mul(dy, tf.step(y)) : tf.clone(dy); // returned as the skip's gradient: its own tensor
      const dbeta = tf.sum(dz, AXES);
      const dgamma = tf.sum(tf.mul(dz, xh), AXES);
      const rows = xh.size / xh.shape[3];
      const centred = tf.sub(dz, tf.div(tf.add(dbeta, tf.mul(xh, dgamma)), rows));
      const dx = tf.mul(centred, tf.mul(gamma, inv));
      return hasSkip ? [dx, dgamma, dbeta, dz] : [dx, dgamma, dbeta];
    };
    return { value: out, gradFunc };
  });
  const out = (skip ? op(x, gamma, beta, skip) : op(x, gamma, beta)) as tf.Tensor4D;
  return { out, moments: moments! };
};

/** The same forward pass differentiated by TF.js itself: the stock kernel set, and the reference in tests. */
export const trainBatchNormAutodiff: TrainBatchNorm = (x, gamma, beta, skip, relu, eps) => {
  const m = tf.moments(x, AXES);
  let out = tf.batchNorm(x, m.mean as tf.Tensor1D, m.variance as tf.Tensor1D, beta, gamma, eps);
  if (skip) out = tf.add(out, skip);
  return { out: relu ? tf.relu(out) : out, moments: tf.keep(tf.stack([m.mean, m.variance]) as tf.Tensor2D) };
};
