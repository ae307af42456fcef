// Our in-place wasm Adam against TF.js's ops on the cpu backend, and its care for memory a clone shares.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { fusedAdam, setKernelSet } from './switches';
import { registerOwnKernels } from './register';
import { expectClose } from '../../testing/close';
import { Adam } from '../train/optimizer';

beforeAll(async () => {
  await registerOwnKernels('wasm');
  await tf.setBackend('wasm');
  await tf.ready();
});

/** The parameters after each of three steps, two parameters in two groups (one without weight decay). */
async function threeSteps(
  backend: string,
  set: 'ours' | 'stock',
  keepClone = false,
): Promise<{ after: Float32Array[]; clone: Float32Array | null }> {
  await tf.setBackend(backend);
  setKernelSet(set);
  const make = (n: number, seed: number, name: string) =>
    tf.variable(
      tf.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i + seed) * 0.3)),
      true,
      `${name}-${backend}-${set}-${Math.random()}`,
    );
  const params = [
    { name: 'w', variable: make(50, 1, 'adam-w'), kind: 'conv' as const, group: 1 },
    { name: 'g', variable: make(7, 2, 'adam-g'), kind: 'bn-weight' as const, group: 0 },
  ];
  // A clone shares the variable's memory: an in-place write would change it too.
  const clone = keepClone ? tf.clone(params[0]!.variable) : null;
  const opt = new Adam();
  const after: Float32Array[] = [];
  for (let step = 0; step < 3; step++) {
    const grads = Object.fromEntries(
      params.map((p, k) => [
        p.variable.name,
        tf.tensor(Float32Array.from({ length: p.variable.size }, (_, i) => Math.cos(i * (step + 1) + k) * 0.1)),
      ]),
    );
    opt.step(params, grads, [2e-2, 1e-2, 0], [0.85, 0.9 - step * 0.02, 0]);
    tf.dispose(Object.values(grads));
    for (const p of params) after.push(((await p.variable.data()) as Float32Array).slice());
  }
  const cloned = clone ? ((await clone.data()) as Float32Array).slice() : null;
  tf.dispose(params.map((p) => p.variable));
  clone?.dispose();
  opt.dispose();
  setKernelSet('ours');
  return { after, clone: cloned };
}

describe('our wasm Adam', () => {
  it('is the fused Adam while wasm runs our kernels, and only then', async () => {
    await tf.setBackend('wasm');
    expect(fusedAdam()).not.toBeNull();
    setKernelSet('stock');
    expect(fusedAdam()).toBeNull();
    setKernelSet('ours');
    await tf.setBackend('cpu');
    expect(fusedAdam()).toBeNull();
  });
  it('gives the parameters the cpu backend gives after each of three steps', async () => {
    const cpu = await threeSteps('cpu', 'stock');
    const ours = await threeSteps('wasm', 'ours');
    cpu.after.forEach((want, i) =>
      expectClose(ours.after[i]!, want, 1e-5, `parameter ${i % 2}, step ${Math.floor(i / 2) + 1}`),
    );
    expect(ours.after[4]).not.toEqual(ours.after[2]);
  });
  it('gives a convolution the updated filter (XNNPACK keeps a packed copy of a filter while its tensor lives)', async () => {
    const convAfterStep = async (backend: string, set: 'ours' | 'stock') => {
      await tf.setBackend(backend);
      setKernelSet(set);
      const w = tf.variable(
        tf.tensor4d(
          Float32Array.from({ length: 36 }, (_, i) => Math.sin(i) * 0.3),
          [3, 3, 2, 2],
        ),
        true,
        `adam-filter-${backend}-${set}-${Math.random()}`,
      );
      const x = tf.tensor4d(
        Float32Array.from({ length: 50 }, (_, i) => Math.cos(i)),
        [1, 5, 5, 2],
      );
      tf.tidy(() => tf.conv2d(x, w, 1, 'same').dataSync()); // packs the filter as it is now
      const opt = new Adam();
      const g = tf.onesLike(w);
      opt.step([{ name: 'w', variable: w, kind: 'conv' as const, group: 0 }], { [w.name]: g }, [0.1], [0.9]);
      const out = tf.tidy(() => tf.conv2d(x, w, 1, 'same').dataSync().slice());
      tf.dispose([w, x, g]);
      opt.dispose();
      setKernelSet('ours');
      return out;
    };
    expectClose(await convAfterStep('wasm', 'ours'), await convAfterStep('cpu', 'stock'), 1e-5);
  });
  it('leaves memory a clone shares alone, and still updates the parameter', async () => {
    const cpu = await threeSteps('cpu', 'stock', true);
    const ours = await threeSteps('wasm', 'ours', true);
    cpu.after.forEach((want, i) =>
      expectClose(ours.after[i]!, want, 1e-5, `parameter ${i % 2}, step ${Math.floor(i / 2) + 1}`),
    );
    expect(Array.from(ours.clone!)).toEqual(Array.from(cpu.clone!));
    expect(Array.from(ours.clone!)).toEqual(Array.from({ length: 50 }, (_, i) => Math.fround(Math.sin(i + 1) * 0.3)));
  });
});
