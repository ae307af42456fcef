// A synthetic, learnable image set (class-coloured blobs with noise), seeded: for tests and for benchmarking the
// training step without any data pipeline in the way.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng, shuffled } from '../data/rng';
import type { Batch, DataSource } from './data-source';

export interface SyntheticOptions {
  classes: number;
  trainItems: number;
  validItems: number;
  size: number;
  batchSize: number;
  seed: number;
}

export function syntheticData(o: SyntheticOptions): DataSource {
  const rng = seededRng(o.seed);
  const colours = Array.from({ length: o.classes }, () => [rng.next(), rng.next(), rng.next()]);
  const makeItems = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const label = i % o.classes;
      const [r, g, b] = colours[label]!;
      const cx = rng.uniform(0.3, 0.7) * o.size;
      const cy = rng.uniform(0.3, 0.7) * o.size;
      const px = new Float32Array(o.size * o.size * 3);
      for (let y = 0; y < o.size; y++)
        for (let x = 0; x < o.size; x++) {
          const inside = (x - cx) ** 2 + (y - cy) ** 2 < (o.size / 4) ** 2 ? 1 : 0.2;
          const k = (y * o.size + x) * 3;
          px[k] = r! * inside + rng.uniform(-0.2, 0.2);
          px[k + 1] = g! * inside + rng.uniform(-0.2, 0.2);
          px[k + 2] = b! * inside + rng.uniform(-0.2, 0.2);
        }
      return { px, label };
    });
  const train = makeItems(o.trainItems);
  const valid = makeItems(o.validItems);
  const toBatch = (items: typeof train): Batch => {
    const x = new Float32Array(items.length * o.size * o.size * 3);
    items.forEach((it, i) => x.set(it.px, i * it.px.length));
    return {
      x: tf.tensor4d(x, [items.length, o.size, o.size, 3]),
      y: tf.tensor1d(
        items.map((it) => it.label),
        'int32',
      ),
    };
  };
  return {
    classes: Array.from({ length: o.classes }, (_, i) => `class_${i}`),
    trainBatchCount: () => Math.floor(train.length / o.batchSize),
    async *trainBatches(epoch) {
      const order = shuffled(train, seededRng(o.seed * 1000 + epoch));
      for (let i = 0; i + o.batchSize <= order.length; i += o.batchSize) yield toBatch(order.slice(i, i + o.batchSize));
    },
    async *validBatches() {
      for (let i = 0; i < valid.length; i += o.batchSize) yield toBatch(valid.slice(i, i + o.batchSize));
    },
  };
}
