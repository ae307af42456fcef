// Global average pooling with its device-side gradient, against TF.js's tf.mean and autodiff.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { globalAvgPool, globalAvgPoolAutodiff } from './avg-pool';
import { expectClose } from '../../testing/close';

const SHAPES: [number, number, number, number][] = [
  [2, 3, 5, 4],
  [1, 1, 1, 3],
  [3, 6, 6, 8],
];

/** Pooled values and the input gradient under a random upstream gradient, read back. */
async function poolAndGrad(pool: (x: tf.Tensor4D) => tf.Tensor2D, shape: [number, number, number, number]) {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
  const dy = tf.randomNormal([shape[0], shape[3]], 0, 1, 'float32', 2);
  const y = pool(x);
  const [dx] = tf.grads((a: tf.Tensor) => pool(a as tf.Tensor4D))([x], dy);
  const out = { y: (await y.data()) as Float32Array, dx: (await dx!.data()) as Float32Array, dxShape: dx!.shape };
  tf.dispose([x, dy, y, dx!]);
  return out;
}

/** The largest tensor made from CPU values (as tf.ones and tf.scalar do; kernel outputs are not) while `f` ran. */
function largestFromCpu(f: () => void): number {
  const engine = tf.engine() as unknown as { makeTensor(values: ArrayLike<number>, ...rest: unknown[]): unknown };
  const make = engine.makeTensor;
  let largest = 0;
  engine.makeTensor = function (values, ...rest) {
    largest = Math.max(largest, values.length);
    return make.call(this, values, ...rest);
  };
  try {
    f();
  } finally {
    engine.makeTensor = make;
  }
  return largest;
}

describe('globalAvgPool', () => {
  for (const shape of SHAPES) {
    it(`matches tf.mean and its autodiff gradient: ${shape.join('x')}`, async () => {
      await tf.setBackend('cpu');
      const want = await poolAndGrad(globalAvgPoolAutodiff, shape);
      const got = await poolAndGrad(globalAvgPool, shape);
      expectClose(got.y, want.y, 1e-6);
      expect(got.dxShape).toEqual(shape);
      expectClose(got.dx, want.dx, 1e-6);
    });
  }

  it("builds nothing the size of its input on the CPU for the gradient (TF.js's own gradient does)", async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([2, 4, 4, 8]) as tf.Tensor4D;
    const gradient = (pool: (x: tf.Tensor4D) => tf.Tensor2D) => () =>
      tf.dispose(tf.grads((a: tf.Tensor) => pool(a as tf.Tensor4D))([x]));
    expect(largestFromCpu(gradient(globalAvgPoolAutodiff))).toBe(x.size);
    expect(largestFromCpu(gradient(globalAvgPool))).toBeLessThanOrEqual(x.shape[0] * x.shape[3]); // the ones tf.grads seeds dy with
    x.dispose();
  });
});
