// The batch step of presizing on the TF.js backend (the GPU where there is one): every image's crop, flip, rotation,
// zoom and warp in ONE projective resample (bilinear, reflection padding), then lighting in logit space.
import * as tf from '@tensorflow/tfjs-core';
import { drawMatrix, pixelMatrix, type AugDraw } from './augment';

/** The 8 numbers tf.image.transform takes for each draw, for inputs of inSize and outputs of outSize pixels. */
export function transformRows(draws: readonly AugDraw[], inSize: number, outSize: number): number[][] {
  return draws.map((d) => pixelMatrix(drawMatrix(d), inSize, inSize, outSize, outSize).slice(0, 8));
}

/**
 * `items` [B, S, S, 3] with values 0..255 (the item step's square crops) -> [B, out, out, 3] floats in (0, 1).
 * One interpolation per image, whatever the number of geometric steps.
 */
export function augmentBatch(items: tf.Tensor4D, draws: readonly AugDraw[], outSize: number): tf.Tensor4D {
  const [batch, size] = items.shape;
  if (draws.length !== batch) throw new RangeError(`${draws.length} augmentation draws for a batch of ${batch}`);
  return tf.tidy(() => {
    const matrices = tf.tensor2d(transformRows(draws, size, outSize));
    const x = tf.image.transform(tf.div(tf.cast(items, 'float32'), 255), matrices, 'bilinear', 'reflect', 0, [
      outSize,
      outSize,
    ]);
    if (draws.every((d) => d.brightness === 0 && d.contrast === 1)) return x;
    const eps = 1e-6;
    const clipped = tf.clipByValue(x, eps, 1 - eps);
    const logits = tf.sub(tf.log(clipped), tf.log1p(tf.neg(clipped)));
    const contrast = tf.tensor4d(
      draws.map((d) => d.contrast),
      [batch, 1, 1, 1],
    );
    const brightness = tf.tensor4d(
      draws.map((d) => d.brightness),
      [batch, 1, 1, 1],
    );
    return tf.sigmoid(tf.add(tf.mul(logits, contrast), brightness)) as tf.Tensor4D;
  });
}
