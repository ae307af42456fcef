// A DataSource over a loaded pack: the real pipeline, item step then batch step, for the browser worker and Node.
// Decoding is injected (createImageBitmap in a worker, sharp in Node), so this file needs neither.
import * as tf from '@tensorflow/tfjs-core';
import type { LoadedPack } from './pack-loader';
import { imageBytes } from './manifest';
import { squareCrop } from './item-step';
import { seededRng, shuffled, type Rng } from './rng';
import { NO_AUG, augOptions, drawAug } from './augment';
import { augmentBatch } from './gpu-augment';
import { normalize, type Batch, type DataSource } from '../train/data-source';

export interface DecodedImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 3 | 4;
}

export type Decoder = (bytes: Uint8Array) => Promise<DecodedImage>;

export interface PackSourceOptions {
  batchSize: number;
  /** Side of the images the model sees. */
  size: number;
  minScale: number;
  augment: boolean;
  seed: number;
  /** Use at most this many items of each split (quick runs, tests). */
  maxTrain?: number;
  maxValid?: number;
  /** Keep decoded images in memory up to this many bytes (decoding is the slow part on a CPU). */
  cacheBytes?: number;
}

/** The item step: a square crop (random position with rng) of a decoded image, as RGB bytes. */
export function cropItem(img: DecodedImage, rng: Rng | undefined): { rgb: Uint8Array; size: number } {
  const box = squareCrop(img.width, img.height, rng);
  const rgb = new Uint8Array(box.size * box.size * 3);
  for (let y = 0; y < box.size; y++) {
    for (let x = 0; x < box.size; x++) {
      const from = ((box.y + y) * img.width + box.x + x) * img.channels;
      const to = (y * box.size + x) * 3;
      rgb[to] = img.data[from]!;
      rgb[to + 1] = img.data[from + 1]!;
      rgb[to + 2] = img.data[from + 2]!;
    }
  }
  return { rgb, size: box.size };
}

/** Square items of one size as a [n, size, size, 3] batch of values 0..255. */
export function stackItems(crops: readonly { rgb: Uint8Array; size: number }[]): tf.Tensor4D {
  const side = crops[0]!.size;
  if (crops.some((c) => c.size !== side)) throw new Error('Items of one pack must share their shorter side.');
  const pixels = new Float32Array(crops.length * side * side * 3);
  crops.forEach((c, k) => pixels.set(c.rgb, k * side * side * 3));
  return tf.tensor4d(pixels, [crops.length, side, side, 3]);
}

/** A data source over a pack; `validNames` are the validation items' file names in the order validBatches gives them. */
export type PackDataSource = DataSource & { validNames: readonly string[] };

export function packDataSource(pack: LoadedPack, decode: Decoder, o: PackSourceOptions): PackDataSource {
  const { manifest, shards } = pack;
  const indices = (split: 'train' | 'valid', max?: number) => {
    const all = manifest.images.flatMap((im, i) => (im.split === split ? [i] : []));
    return max === undefined
      ? all
      : shuffled(all, seededRng(o.seed + (split === 'train' ? 1 : 2)))
          .slice(0, max)
          .sort((a, b) => a - b);
  };
  const train = indices('train', o.maxTrain);
  const valid = indices('valid', o.maxValid);
  const cache = new Map<number, DecodedImage>();
  let cached = 0;
  const load = async (i: number): Promise<DecodedImage> => {
    const hit = cache.get(i);
    if (hit) return hit;
    const img = await decode(imageBytes(manifest, shards, i));
    if (cached + img.data.length <= (o.cacheBytes ?? 0)) {
      cache.set(i, img);
      cached += img.data.length;
    }
    return img;
  };

  const makeBatch = async (items: number[], rng: Rng | undefined): Promise<Batch> => {
    const crops = [];
    for (const i of items) crops.push(cropItem(await load(i), rng));
    const options = augOptions(o.minScale, o.augment);
    const draws = items.map(() => (rng ? drawAug(rng, options) : NO_AUG));
    const raw = stackItems(crops);
    const augmented = augmentBatch(raw, draws, o.size);
    const x = normalize(augmented);
    tf.dispose([raw, augmented]);
    return {
      x,
      y: tf.tensor1d(
        items.map((i) => manifest.images[i]!.label),
        'int32',
      ),
    };
  };

  return {
    classes: manifest.classes,
    validNames: valid.map((i) => manifest.images[i]!.name),
    trainBatchCount: () => Math.floor(train.length / o.batchSize),
    async *trainBatches(epoch) {
      const rng = seededRng(o.seed * 7919 + epoch);
      const order = shuffled(train, rng);
      for (let k = 0; k + o.batchSize <= order.length; k += o.batchSize)
        yield makeBatch(order.slice(k, k + o.batchSize), rng);
    },
    async *validBatches() {
      for (let k = 0; k < valid.length; k += o.batchSize) yield makeBatch(valid.slice(k, k + o.batchSize), undefined);
    },
  };
}
