// All our wasm kernels together (both convolution gradients, Adam) in a few ResNet training steps: the losses TF.js's
// stock wasm kernels and ops give (each kernel is checked against the cpu backend in its own test; the cpu backend
// is too slow to train even this in CI time). Small: resnet-tiny, 4 images of 36 px (odd sizes from the second stage).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerOwnKernels } from './register';
import { setKernelSet } from './switches';
import { buildResNet, disposeModel } from '../model/resnet-s';
import { archConfig } from '../model/archs';
import { Learner } from '../train/learner';
import { syntheticData } from '../train/synthetic-data';

async function losses(set: 'ours' | 'stock'): Promise<number[]> {
  await registerOwnKernels('wasm');
  await tf.setBackend('wasm');
  await tf.ready();
  setKernelSet(set);
  try {
    const data = syntheticData({ classes: 5, trainItems: 4, validItems: 4, size: 36, batchSize: 4, seed: 3 });
    const learn = new Learner(buildResNet(archConfig('resnet-tiny', 5), 1), data);
    const { x, y } = (await data.trainBatches(0)[Symbol.asyncIterator]().next()).value as {
      x: tf.Tensor4D;
      y: tf.Tensor1D;
    };
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push(await learn.trainStep(x, y, [1e-2, 1e-2, 1e-2], [0.9, 0.9, 0.9]));
    learn.dispose();
    disposeModel(learn.model);
    tf.dispose([x, y]);
    return out;
  } finally {
    setKernelSet('ours');
  }
}

describe('training on wasm with our kernels', () => {
  it("gives the stock kernels' losses, step by step, and learns", async () => {
    const stock = await losses('stock');
    const ours = await losses('ours');
    ours.forEach((l, i) =>
      expect(Math.abs(l - stock[i]!), `step ${i + 1}: ${l} against ${stock[i]}`).toBeLessThan(
        1e-3 * Math.max(1, stock[i]!),
      ),
    );
    expect(ours[3]).toBeLessThan(ours[0]! * 0.8);
  });
});
