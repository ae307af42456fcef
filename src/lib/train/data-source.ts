// What the Learner trains on: batches of images (NHWC floats, normalised) and integer targets.
import * as tf from '@tensorflow/tfjs-core';

export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
}

export interface DataSource {
  classes: readonly string[];
  /** Batches in one training epoch (shuffled per epoch; the last partial batch is dropped, as fastai does). */
  trainBatchCount(): number;
  trainBatches(epoch: number): AsyncIterable<Batch>;
  /** The validation set in order, every item once. */
  validBatches(): AsyncIterable<Batch>;
}

/** ImageNet statistics, as fastai's Normalize.from_stats(*imagenet_stats). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

export function normalize(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.sub(x, tf.tensor1d(IMAGENET_MEAN)), tf.tensor1d(IMAGENET_STD)) as tf.Tensor4D);
}
