// Our block-copy Tile on wasm against TF.js's cpu backend: the global average pool's gradient shape, repetitions on
// several axes at once, on the innermost axis, and int32 (left to the stock kernel).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTile, tileValues } from './wasm/wasm-tile';
import { leftBehind, NOTHING_LEFT } from '../../testing/leaks';

beforeAll(async () => {
  registerWasmTile();
  await tf.setBackend('wasm');
  await tf.ready();
});

const CASES: { shape: number[]; reps: number[]; dtype: 'float32' | 'int32' }[] = [
  { shape: [3, 1, 1, 5], reps: [1, 4, 2, 1], dtype: 'float32' },
  { shape: [2, 3], reps: [3, 2], dtype: 'float32' },
  { shape: [2, 1, 3], reps: [2, 3, 2], dtype: 'float32' },
  { shape: [4], reps: [3], dtype: 'float32' },
  { shape: [2, 2], reps: [1, 1], dtype: 'float32' },
  { shape: [2, 3], reps: [2, 2], dtype: 'int32' },
];

async function tileOn(backend: string, c: (typeof CASES)[number]): Promise<number[]> {
  await tf.setBackend(backend);
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    Array.from({ length: n }, (_, i) => i * 3 - 7),
    c.shape,
    c.dtype,
  );
  const y = tf.tile(x, c.reps);
  const values = Array.from(await y.data());
  expect(y.shape).toEqual(c.shape.map((d, a) => d * c.reps[a]!));
  tf.dispose([x, y]);
  return values;
}

describe('wasm Tile by block copies', () => {
  for (const c of CASES) {
    it(`matches cpu: [${c.shape}] x [${c.reps}] ${c.dtype}`, async () => {
      expect(await tileOn('wasm', c)).toEqual(await tileOn('cpu', c));
    });
  }
  it('repeats blocks as tile does (worked example)', () => {
    expect(Array.from(tileValues(Float32Array.from([1, 2, 3, 4]), [2, 2], [2, 1]))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(Array.from(tileValues(Float32Array.from([1, 2]), [2, 1], [1, 3]))).toEqual([1, 1, 1, 2, 2, 2]);
  });
  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    expect(await leftBehind(() => tf.tidy(() => void tf.tile(tf.ones([2, 1, 1, 3]), [1, 2, 2, 1])))).toEqual(
      NOTHING_LEFT,
    );
  });
});
