import { describe, expect, it } from 'vitest';
import { numpy as np } from '@jax-js/jax';
import { forward, initParams, jaxTrainer } from './jax-resnet-s';

describe('ResNet-S in jax-js (the browser peer)', () => {
  it('has the reference model’s 1,235,909 parameters (torch_resnet_s.py)', () => {
    const params = initParams([32, 64, 128, 256], 37);
    const count = params.reduce((n, p) => n + p.size, 0);
    params.forEach((p) => p.dispose());
    expect(count).toBe(1_235_909);
  });

  it('gives a batch of logits from a batch of images', async () => {
    const params = initParams([4, 8], 37);
    const logits = forward(params, np.zeros([3, 3, 16, 16]), [4, 8]);
    expect(logits.shape).toEqual([3, 37]);
    const values = (await logits.data()) as Float32Array;
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it("takes Adam's first step (every weight with a gradient moves by the learning rate) and lowers the loss", async () => {
    const trainer = jaxTrainer({ batch: 2, size: 16, widths: [4, 8] });
    try {
      const before = await trainer.weights();
      const first = await trainer.step();
      const after = await trainer.weights();
      // Near ln 37 = 3.61 from a small linear layer.
      expect(first).toBeGreaterThan(3.3);
      expect(first).toBeLessThan(4);
      // The linear layer's bias: every class has a gradient, so each moves by 1e-3 (m / sqrt(v) = sign(g) at step 1).
      const bias = after.at(-1)!.map((b, i) => Math.abs(b - before.at(-1)![i]!));
      for (const d of bias) expect(d).toBeCloseTo(1e-3, 6);
      const stem = after[0]!.map((w, i) => Math.abs(w - before[0]![i]!)).sort();
      expect(stem[stem.length >> 1]).toBeCloseTo(1e-3, 5);
      const losses = [first];
      for (let i = 0; i < 4; i++) losses.push(await trainer.step());
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
    } finally {
      trainer.dispose();
    }
  });
});
