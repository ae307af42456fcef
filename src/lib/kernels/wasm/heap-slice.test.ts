// heapSlice against TF.js's slice: partial and whole axes in every position, ranks 1 to 4, an empty slice.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { heapSlice } from './heap-slice';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [7], begin: [2], size: [4] },
  { shape: [3, 5], begin: [1, 0], size: [2, 5] },
  { shape: [3, 5], begin: [0, 1], size: [3, 3] },
  { shape: [2, 4, 3], begin: [1, 1, 0], size: [1, 2, 3] },
  { shape: [3, 4, 5, 2], begin: [0, 1, 2, 0], size: [3, 2, 3, 2] },
  { shape: [3, 4, 5, 2], begin: [1, 0, 0, 1], size: [2, 4, 5, 1] },
  { shape: [2, 3, 3, 2], begin: [0, 0, 0, 0], size: [2, 3, 3, 2] },
  { shape: [2, 3], begin: [1, 1], size: [0, 2] },
];

describe('heapSlice', () => {
  for (const c of CASES) {
    it(`matches tf.slice: [${c.shape}] from [${c.begin}] size [${c.size}]`, async () => {
      const n = c.shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(
        Array.from({ length: n }, (_, i) => i),
        c.shape,
      );
      const want = tf.slice(x, c.begin, c.size);
      const got = tf.engine().makeTensorFromTensorInfo(heapSlice(tf.backend(), x, c.begin, c.size));
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
      tf.dispose([x, want, got]);
    });
  }
  it('refuses a slice past the end, with the shapes in the message', () => {
    const x = tf.zeros([2, 2]);
    expect(() => heapSlice(tf.backend(), x, [1, 0], [2, 2])).toThrow(/\[1,0\] \+ \[2,2\] reaches past shape \[2,2\]/);
    x.dispose();
  });
});
