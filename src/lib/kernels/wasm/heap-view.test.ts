// Windows on the wasm heap: a view reads the values it looks at, releasing it frees nothing (the tensor it looks into
// still reads the same), and a window past the tensor's end is refused.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { heapView, releaseView } from './heap-view';
beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('heapView', () => {
  it('is the values from its offset on, and releasing it leaves the tensor whole', async () => {
    const t = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7]);
    const backend = tf.backend();
    const before = (backend as unknown as { numDataIds(): number }).numDataIds();
    const info = { dataId: t.dataId, shape: t.shape, dtype: t.dtype } as tf.TensorInfo;
    const view = heapView(backend, info, 3, [2, 2]);
    const asTensor = tf.engine().makeTensorFromTensorInfo(view);
    expect(Array.from(await asTensor.data())).toEqual([3, 4, 5, 6]);
    releaseView(backend, view);
    expect((backend as unknown as { numDataIds(): number }).numDataIds()).toBe(before);
    expect(Array.from(await t.data())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    t.dispose();
  });
  it('refuses a window that reaches past the tensor', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const info = { dataId: t.dataId, shape: t.shape, dtype: t.dtype } as tf.TensorInfo;
    expect(() => heapView(tf.backend(), info, 2, [2])).toThrow(/reach past/);
    t.dispose();
  });
});
