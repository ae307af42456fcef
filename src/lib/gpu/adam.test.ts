// Our fused WebGPU Adam against TF.js's ops on the cpu and webgpu backends, on SwiftShader WebGPU.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet } from './register';
import { countDispatches } from './dispatch-counter';
import { startSwiftShaderWebGpu } from './swiftshader-device';

beforeAll(startSwiftShaderWebGpu);

describe('our fused WebGPU Adam step', () => {
  async function threeSteps(backend: string, set: 'ours' | 'stock'): Promise<Float32Array[]> {
    const { Adam } = await import('../train/optimizer');
    await tf.setBackend(backend);
    setKernelSet(set);
    const values = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.3);
    const p = tf.variable(tf.tensor(values, [5, 10]), true, `adam-test-${backend}-${set}-${Math.random()}`);
    const param = { name: 'w', variable: p, kind: 'conv' as const, group: 1 };
    const opt = new Adam();
    for (let step = 0; step < 3; step++) {
      const g = tf.tensor(Float32Array.from({ length: 50 }, (_, i) => Math.cos(i * (step + 1)) * 0.1), [5, 10]);
      opt.step([param], { [p.name]: g }, [0, 1e-2, 0], [0, 0.9 - step * 0.02, 0]);
      g.dispose();
    }
    const out = [(await p.data()) as Float32Array];
    p.dispose();
    opt.dispose();
    return out;
  }
  it('gives the parameters the cpu backend gives, with decoupled weight decay, over three steps', async () => {
    const [cpu] = await threeSteps('cpu', 'stock');
    const [stock] = await threeSteps('webgpu', 'stock');
    const [ours] = await threeSteps('webgpu', 'ours');
    cpu!.forEach((v, i) => {
      expect(Math.abs(ours![i]! - v)).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(stock![i]! - v)).toBeLessThanOrEqual(1e-5);
    });
    expect(ours).not.toEqual(Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.3));
  });
  it('takes 3 GPU dispatches per parameter instead of one per TF.js op', async () => {
    const { Adam } = await import('../train/optimizer');
    await tf.setBackend('webgpu');
    const dispatches = countDispatches(tf.backend())!;
    const count = (set: 'ours' | 'stock') => {
      setKernelSet(set);
      const p = tf.variable(tf.ones([64, 64]), true, `adam-count-${set}-${Math.random()}`);
      const opt = new Adam();
      const g = tf.ones([64, 64]);
      const param = { name: 'w', variable: p, kind: 'conv' as const, group: 0 };
      opt.step([param], { [p.name]: g }, [1e-3], [0.9]); // creates the state
      dispatches.reset();
      opt.step([param], { [p.name]: g }, [1e-3], [0.9]);
      const n = dispatches.count;
      tf.dispose([p, g]);
      opt.dispose();
      return n;
    };
    try {
      expect(count('stock')).toBeGreaterThanOrEqual(10);
      expect(count('ours')).toBe(3);
    } finally {
      dispatches.restore();
    }
  });
});
