// Our wasm Sum and Mean over all axes but the last (BatchNorm's per-channel reductions) against the cpu backend, and
// every other reduction still on the stock kernel.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../testing/leaks';
import { allButLast, registerWasmColumnSums } from './wasm/wasm-column-sums';
import { setKernelSet } from './switches';

beforeAll(async () => {
  registerWasmColumnSums(); // before the backend starts, as the app does: the stock kernels' set-up must survive
  await tf.setBackend('wasm');
  await tf.ready();
});

const values = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 12.9898 + 1) * 3 + 0.5);

async function on(
  backend: string,
  f: (x: tf.Tensor) => tf.Tensor,
  shape: number[],
): Promise<{ data: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const x = tf.tensor(values(shape), shape);
  const out = f(x);
  const data = (await out.data()) as Float32Array;
  const result = { data, shape: out.shape };
  tf.dispose([x, out]);
  return result;
}

const CASES: { name: string; shape: number[]; f: (x: tf.Tensor) => tf.Tensor }[] = [
  { name: 'sum over batch and pixels, odd sizes', shape: [3, 5, 7, 6], f: (x) => tf.sum(x, [0, 1, 2]) },
  { name: 'mean over batch and pixels, kept dims', shape: [2, 9, 4, 5], f: (x) => tf.mean(x, [0, 1, 2], true) },
  { name: 'mean with negative axes in another order', shape: [4, 3, 3, 8], f: (x) => tf.mean(x, [-2, 0, 1]) },
  { name: 'sum of a matrix down its rows', shape: [37, 3], f: (x) => tf.sum(x, 0) },
  {
    name: 'sum over the leading axes of a rank-3 tensor, kept dims',
    shape: [5, 3, 4],
    f: (x) => tf.sum(x, [0, 1], true),
  },
  {
    name: 'a reduction ours does not take (pixels only) still agrees',
    shape: [2, 4, 4, 3],
    f: (x) => tf.sum(x, [1, 2]),
  },
];

describe('wasm column sums', () => {
  it('take exactly the reductions over every axis but the last', () => {
    expect(allButLast([0, 1, 2], 4)).toBe(true);
    expect(allButLast([2, -4, 1], 4)).toBe(true);
    expect(allButLast(0, 2)).toBe(true);
    expect(allButLast([1, 2], 4)).toBe(false);
    expect(allButLast([0, 1, 2, 3], 4)).toBe(false);
    expect(allButLast(0, 1)).toBe(false);
  });
  for (const c of CASES) {
    it(`match cpu: ${c.name}`, async () => {
      const want = await on('cpu', c.f, c.shape);
      const got = await on('wasm', c.f, c.shape);
      expect(got.shape).toEqual(want.shape);
      expectClose(got.data, want.data, 1e-4);
    });
  }
  it('give way to the stock kernels with the stock kernel set, which agree', async () => {
    const f = (x: tf.Tensor) => tf.mean(x, [0, 1, 2]);
    setKernelSet('stock');
    try {
      const stock = await on('wasm', f, [3, 5, 7, 6]);
      setKernelSet('ours');
      expectClose((await on('wasm', f, [3, 5, 7, 6])).data, stock.data, 1e-4);
    } finally {
      setKernelSet('ours');
    }
  });
  it('leave no tensors behind', async () => {
    await tf.setBackend('wasm');
    expect(await leftBehind(() => tf.tidy(() => void tf.mean(tf.ones([2, 3, 3, 4]), [0, 1, 2], true)))).toEqual(
      NOTHING_LEFT,
    );
  });
});
