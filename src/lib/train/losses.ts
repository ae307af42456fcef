// Softmax, log-softmax, negative log-likelihood, cross-entropy and the metrics, on tensors, written out the way the
// chapter builds them (each is checked against TF.js's own ops and the plain-number versions in tests).
import * as tf from '@tensorflow/tfjs-core';
import { fusedCrossEntropy } from '../kernels/switches';

/** exp(a - max) / sum(exp(a - max)) along the last axis. */
export function softmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const e = tf.exp(tf.sub(logits, tf.max(logits, -1, true)));
    return tf.div(e, tf.sum(e, -1, true));
  });
}

/** a - logsumexp(a) along the last axis. */
export function logSoftmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const m = tf.max(logits, -1, true);
    const lse = tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(logits, m)), -1, true)));
    return tf.sub(logits, lse);
  });
}

/** -log p(target) for each item, picking the target's column of the log-probabilities. */
export function nllPerItem(logProbs: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(targets, 'int32'), logProbs.shape[1])), -1)));
}

export function crossEntropyPerItem(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => nllPerItem(logSoftmax(logits), targets));
}

/** The loss a training step differentiates: crossEntropy, through a fused kernel where the backend has one. */
export function trainingLoss(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const f = fusedCrossEntropy();
  return f ? f(logits, targets) : crossEntropy(logits, targets);
}

/** Mean cross-entropy: the loss the classifier trains on. */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerItem(logits, targets)));
}

/** Share of items whose largest activation is the target. */
export function accuracy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(targets, 'int32')), 'float32')));
}

export function errorRate(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sub(1, accuracy(logits, targets)));
}
