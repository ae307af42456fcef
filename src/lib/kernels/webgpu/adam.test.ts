// Our fused WebGPU Adam against TF.js's ops on the cpu and webgpu backends, on SwiftShader WebGPU.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet } from '../switches';
import { countDispatches } from './dispatch-counter';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { expectClose } from '../../../testing/close';

beforeAll(startSwiftShaderWebGpu);

describe('our fused WebGPU Adam step', () => {
  /** The parameter after each of three steps, read back after each one (reads cache values on the CPU). */
  async function threeSteps(backend: string, set: 'ours' | 'stock'): Promise<Float32Array[]> {
    const { Adam } = await import('../../train/optimizer');
    await tf.setBackend(backend);
    setKernelSet(set);
    const values = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.3);
    const p = tf.variable(tf.tensor(values, [5, 10]), true, `adam-test-${backend}-${set}-${Math.random()}`);
    const param = { name: 'w', variable: p, kind: 'conv' as const, group: 1 };
    const opt = new Adam();
    const out: Float32Array[] = [];
    for (let step = 0; step < 3; step++) {
      const g = tf.tensor(
        Float32Array.from({ length: 50 }, (_, i) => Math.cos(i * (step + 1)) * 0.1),
        [5, 10],
      );
      opt.step([param], { [p.name]: g }, [0, 1e-2, 0], [0, 0.9 - step * 0.02, 0]);
      g.dispose();
      out.push(((await p.data()) as Float32Array).slice());
    }
    p.dispose();
    opt.dispose();
    setKernelSet('ours');
    return out;
  }
  it('gives the parameters the cpu backend gives after each of three steps, with decoupled weight decay', async () => {
    const cpu = await threeSteps('cpu', 'stock');
    const stock = await threeSteps('webgpu', 'stock');
    const ours = await threeSteps('webgpu', 'ours');
    cpu.forEach((want, step) => {
      expect(() => expectClose(ours[step]!, want, 1e-5), `ours, step ${step + 1}`).not.toThrow();
      expect(() => expectClose(stock[step]!, want, 1e-5), `stock, step ${step + 1}`).not.toThrow();
    });
    expect(ours[2]).not.toEqual(ours[1]);
  });

  it("updates two parameters per dispatch, each with its own group's rate, size and decay, as the cpu backend does", async () => {
    const { Adam } = await import('../../train/optimizer');
    // Three parameters of different sizes in different groups, one without weight decay: one pair and one alone.
    const specs = [
      { size: 7, kind: 'bn-weight' as const, group: 0 },
      { size: 50, kind: 'conv' as const, group: 1 },
      { size: 30, kind: 'conv' as const, group: 2 },
    ];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const tensorsBefore = tf.memory().numTensors;
      const params = specs.map((s, k) => ({
        name: `w${k}`,
        // Made in a tidy, so each variable alone holds its buffer.
        variable: tf.tidy(() =>
          tf.variable(
            tf.tensor(Float32Array.from({ length: s.size }, (_, i) => Math.sin(i + k) * 0.3)),
            true,
            `adam-pair-${backend}-${k}-${Math.random()}`,
          ),
        ),
        kind: s.kind,
        group: s.group,
      }));
      const opt = new Adam();
      const dispatches = countDispatches(tf.backend());
      const counts: number[] = [];
      try {
        for (let step = 0; step < 3; step++) {
          const grads = Object.fromEntries(
            params.map((p, k) => [
              p.variable.name,
              tf.tensor(Float32Array.from({ length: p.variable.size }, (_, i) => Math.cos(i * (step + 1) + k) * 0.1)),
            ]),
          );
          dispatches?.reset();
          opt.step(params, grads, [1e-3, 1e-2, 3e-2], [0.95, 0.9, 0.85]);
          counts.push(dispatches?.count ?? 0);
          tf.dispose(Object.values(grads));
        }
        return {
          values: await Promise.all(params.map(async (p) => ((await p.variable.data()) as Float32Array).slice())),
          counts,
        };
      } finally {
        dispatches?.restore();
        tf.dispose(params.map((p) => p.variable));
        opt.dispose();
        // Nothing is left behind, the averages' initial zeros included.
        expect(tf.memory().numTensors).toBe(tensorsBefore);
      }
    };
    const cpu = await run('cpu');
    const ours = await run('webgpu');
    ours.values.forEach((v, k) => expect(() => expectClose(v, cpu.values[k]!, 1e-5), `parameter ${k}`).not.toThrow());
    // The first step also fills six averages with zeros; the 50- and 30-element parameters share one dispatch.
    expect(ours.counts).toEqual([6 + 2, 2, 2]);
  });

  async function countedSteps(set: 'ours' | 'stock', steps: number, withClone = false) {
    const { Adam } = await import('../../train/optimizer');
    await tf.setBackend('webgpu');
    setKernelSet(set);
    const dispatches = countDispatches(tf.backend())!;
    const p = tf.variable(tf.ones([64, 64]), true, `adam-count-${set}-${Math.random()}`);
    const opt = new Adam();
    const g = tf.ones([64, 64]);
    const param = { name: 'w', variable: p, kind: 'conv' as const, group: 0 };
    const counts: number[] = [];
    let clone: tf.Tensor | null = null;
    let cloneBefore: Float32Array | null = null;
    try {
      for (let i = 0; i < steps; i++) {
        if (withClone && i === steps - 1) {
          clone = tf.clone(p); // as lr_find snapshots the weights
          cloneBefore = ((await clone.data()) as Float32Array).slice();
        }
        dispatches.reset();
        opt.step([param], { [p.name]: g }, [1e-3], [0.9]);
        counts.push(dispatches.count);
      }
      const cloneAfter = clone ? ((await clone.data()) as Float32Array).slice() : null;
      return { counts, cloneBefore, cloneAfter };
    } finally {
      dispatches.restore();
      tf.dispose([p, g, ...(clone ? [clone] : [])]);
      opt.dispose();
      setKernelSet('ours');
    }
  }
  it('takes one GPU dispatch per parameter once it owns its buffers, instead of one per TF.js op', async () => {
    const stock = await countedSteps('stock', 2);
    const ours = await countedSteps('ours', 3);
    expect(stock.counts[1]).toBeGreaterThanOrEqual(10);
    // The first step also fills the two averages with zeros (2 dispatches), then updates by assignment (3): the
    // parameter still shares its buffer with the tensor it was made from.
    expect(ours.counts).toEqual([5, 1, 1]);
  });
  it('leaves a clone of the parameter alone: it updates by assignment while the clone shares the buffer', async () => {
    const ours = await countedSteps('ours', 3, true);
    expect(ours.counts).toEqual([5, 1, 3]);
    expect(ours.cloneAfter).toEqual(ours.cloneBefore);
  });
});
