// The TF.js batch step against the CPU reference sampler (cpu backend in Node).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuTransform } from '../kernels/cpu/cpu-transform';
import { augmentBatch, transformRows } from './gpu-augment';
import { AUG_DEFAULTS, NO_AUG, drawAug, drawMatrix, sampleImage, applyLighting } from './augment';
import { seededRng } from './rng';

beforeAll(async () => {
  registerCpuTransform();
  await tf.setBackend('cpu');
});

function randomItems(batch: number, size: number, seed: number): Float32Array {
  const rng = seededRng(seed);
  return Float32Array.from({ length: batch * size * size * 3 }, () => Math.round(rng.next() * 255));
}

describe('augmentBatch', () => {
  it('with no augmentation and the same size returns the items scaled to [0, 1]', () => {
    const data = randomItems(2, 12, 1);
    const out = augmentBatch(tf.tensor4d(data, [2, 12, 12, 3]), [NO_AUG, NO_AUG], 12);
    const got = out.dataSync();
    data.forEach((v, i) => expect(got[i]).toBeCloseTo(v / 255, 5));
  });

  it('matches the reference sampler for random draws (one interpolation, reflection padding)', () => {
    const size = 24;
    const out = 16;
    const rng = seededRng(9);
    const draws = Array.from({ length: 3 }, () => ({
      ...drawAug(rng, { ...AUG_DEFAULTS, minScale: 0.5, maxRotate: 30, maxWarp: 0.3 }),
      brightness: 0,
      contrast: 1,
    }));
    const data = randomItems(3, size, 2);
    const result = augmentBatch(tf.tensor4d(data, [3, size, size, 3]), draws, out).dataSync();
    draws.forEach((d, b) => {
      const img = {
        width: size,
        height: size,
        data: data.slice(b * size * size * 3, (b + 1) * size * size * 3).map((v) => v / 255),
      };
      const ref = sampleImage(img, drawMatrix(d), out, out).data;
      let worst = 0;
      ref.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - result[b * out * out * 3 + i]!))));
      expect(worst).toBeLessThan(1e-4);
    });
  });

  it('applies lighting per image in logit space', () => {
    const data = randomItems(1, 8, 3);
    const d = { ...NO_AUG, brightness: 0.4, contrast: 1.3 };
    const got = augmentBatch(tf.tensor4d(data, [1, 8, 8, 3]), [d], 8).dataSync();
    data.forEach((v, i) => expect(got[i]).toBeCloseTo(applyLighting(v / 255, 0.4, 1.3), 4));
  });

  it('keeps no tensors alive but its result', () => {
    const before = tf.memory().numTensors;
    const items = tf.tensor4d(randomItems(2, 10, 4), [2, 10, 10, 3]);
    const out = augmentBatch(items, [drawAug(seededRng(1)), drawAug(seededRng(2))], 8);
    expect(out.shape).toEqual([2, 8, 8, 3]);
    items.dispose();
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('transforms every image of a batch (the stock cpu kernel stops after the first)', () => {
    const x = tf.tensor4d(
      Array.from({ length: 24 }, (_, i) => i + 1),
      [2, 2, 2, 3],
    );
    const identity = tf.tensor2d([
      [1, 0, 0, 0, 1, 0, 0, 0],
      [1, 0, 0, 0, 1, 0, 0, 0],
    ]);
    expect(Array.from(tf.image.transform(x, identity, 'bilinear', 'reflect').dataSync())).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
  });

  it('refuses a wrong number of draws', () => {
    expect(() => augmentBatch(tf.zeros([2, 4, 4, 3]) as tf.Tensor4D, [NO_AUG], 4)).toThrow(
      /1 augmentation draws for a batch of 2/,
    );
    expect(transformRows([NO_AUG], 10, 10)[0]).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
  });
});
