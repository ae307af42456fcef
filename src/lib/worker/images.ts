// The worker's image helpers: a stored JPEG to RGBA pixels, and a batch of images on the backend back to one RGBA
// picture per image (what a demo draws). Every picture the worker sends goes through batchPixels.
/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import { imageBytes } from '../data/manifest';
import type { LoadedPack } from '../data/pack-loader';
import type { DecodedImage } from '../data/pack-source';

/** Decodes one stored JPEG to RGBA pixels. */
export async function decodeRgba(bytes: Uint8Array): Promise<DecodedImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { data: data.data, width: data.width, height: data.height, channels: 4 };
}

/** The index of the pack image called `name`; throws, in words, when there is none. */
export function packIndex(pack: LoadedPack, name: string | undefined): number {
  const i = pack.manifest.images.findIndex((im) => im.name === name);
  if (i < 0) throw new Error(`There is no ${name ?? 'image'} in the pack.`);
  return i;
}

/** The pack's image `i`, decoded. */
export const decodePackImage = (pack: LoadedPack, i: number): Promise<DecodedImage> =>
  decodeRgba(imageBytes(pack.manifest, pack.shards, i));

/**
 * A batch of images in [0, 1] (n x side x side x 3) as one RGBA picture (0-255, side x side) per image, in order.
 * The batch is left to the caller to dispose.
 */
export async function batchPixels(images: tf.Tensor4D): Promise<Uint8ClampedArray[]> {
  const [n, h, w] = images.shape;
  const rgba = tf.tidy(() =>
    tf.cast(tf.concat([tf.round(tf.mul(images, 255)), tf.fill([n, h, w, 1], 255)], 3), 'int32'),
  );
  try {
    const data = await rgba.data();
    const per = h * w * 4;
    return Array.from({ length: n }, (_, k) => new Uint8ClampedArray(data.subarray(k * per, (k + 1) * per)));
  } finally {
    rgba.dispose();
  }
}
