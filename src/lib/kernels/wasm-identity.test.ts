// Our shared-reference Identity on wasm: a clone reads the same values, shares the memory until either is disposed,
// outlives its original, and leaves nothing behind; the stock kernel set still copies.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmIdentity } from './wasm/wasm-identity';
import { setKernelSet } from './switches';
import { leftBehind, NOTHING_LEFT } from '../../testing/leaks';

type Refs = { refCount(dataId: object): number };

beforeAll(async () => {
  registerWasmIdentity();
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('wasm Identity as a shared reference', () => {
  it('shares the memory, and the clone outlives its original', async () => {
    const refs = tf.backend() as unknown as Refs;
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(refs.refCount(x.dataId)).toBe(2);
    x.dispose();
    expect(refs.refCount(y.dataId)).toBe(1);
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
  });
  it('copies with the stock kernel set', async () => {
    setKernelSet('stock');
    try {
      const x = tf.tensor([5, 6]);
      const y = tf.clone(x);
      expect(y.dataId).not.toBe(x.dataId);
      expect(Array.from(await y.data())).toEqual([5, 6]);
      tf.dispose([x, y]);
    } finally {
      setKernelSet('ours');
    }
  });
  it('leaves no tensors or data behind', async () => {
    expect(await leftBehind(() => tf.tidy(() => void tf.clone(tf.clone(tf.ones([3, 3])))))).toEqual(NOTHING_LEFT);
  });
});
