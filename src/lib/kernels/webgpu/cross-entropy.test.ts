// Our fused WebGPU cross-entropy (loss and gradient) against TF.js's ops on the cpu backend.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { countDispatches } from './dispatch-counter';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { crossEntropyWebGPU } from './cross-entropy';
import { crossEntropy } from '../../train/losses';
import { expectClose } from '../../../testing/close';

beforeAll(startSwiftShaderWebGpu);

const CASES = [
  { name: 'one item, 37 classes, int32 targets', rows: 1, classes: 37, dtype: 'int32' as const },
  { name: '3 items, 2 classes, float targets', rows: 3, classes: 2, dtype: 'float32' as const },
  {
    name: '300 items (more than a workgroup has threads), 37 classes, large logits',
    rows: 300,
    classes: 37,
    dtype: 'int32' as const,
    scale: 40,
  },
];

async function lossAndGrad(c: (typeof CASES)[number], backend: 'cpu' | 'webgpu') {
  await tf.setBackend(backend);
  const logits = tf.tensor2d(
    Float32Array.from({ length: c.rows * c.classes }, (_, i) => Math.sin(i * 1.7) * (c.scale ?? 3)),
    [c.rows, c.classes],
  );
  const targets = tf.tensor1d(
    Array.from({ length: c.rows }, (_, i) => (i * 7) % c.classes),
    c.dtype,
  );
  const f = (x: tf.Tensor) =>
    backend === 'webgpu'
      ? crossEntropyWebGPU(tf.backend() as unknown as WebGPUBackend, x as tf.Tensor2D, targets)
      : crossEntropy(x as tf.Tensor2D, targets);
  const { value, grad } = tf.valueAndGrad(f)(logits, tf.scalar(2)); // dy = 2: the upstream gradient is used
  const out = { loss: (await value.data())[0]!, grad: (await grad.data()) as Float32Array };
  tf.dispose([logits, targets, value, grad]);
  return out;
}

describe('our fused WebGPU cross-entropy', () => {
  for (const c of CASES) {
    it(`matches TF.js's ops to 1e-5: ${c.name}`, async () => {
      const want = await lossAndGrad(c, 'cpu');
      const got = await lossAndGrad(c, 'webgpu');
      expectClose([got.loss], [want.loss], 1e-5);
      expectClose(got.grad, want.grad, 1e-5);
      expect(Number.isFinite(got.loss)).toBe(true);
    });
  }
  it('takes one dispatch forward and one backward', async () => {
    await tf.setBackend('webgpu');
    const dispatches = countDispatches(tf.backend())!;
    const logits = tf.randomNormal([4, 5]) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 1, 2, 3], 'int32');
    const dy = tf.scalar(1);
    dispatches.reset();
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) =>
      crossEntropyWebGPU(tf.backend() as unknown as WebGPUBackend, x as tf.Tensor2D, targets),
    )(logits, dy);
    expect(dispatches.count).toBe(2);
    dispatches.restore();
    tf.dispose([logits, targets, dy, value, grad]);
  });
});
