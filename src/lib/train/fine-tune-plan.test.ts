import { describe, expect, it } from 'vitest';
import { fineTunePhases, phaseLrSteps } from './fine-tune-plan';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

describe("fine_tune's phases (fastai: base_lr 2e-3, freeze_epochs 1, lr_mult 100, pct_start 0.3, div 5)", () => {
  it('is one frozen epoch at slice(base_lr) with pct_start 0.99, then the epochs unfrozen at slice(base_lr/2/100, base_lr/2)', () => {
    expect(fineTunePhases(2)).toEqual([
      { name: 'fine_tune: frozen', epochs: 1, frozen: true, lr: { stop: 2e-3 }, oneCycle: { pctStart: 0.99 } },
      {
        name: 'fine_tune: unfrozen, lr_max 0.001 (base_lr / 2)',
        epochs: 2,
        frozen: false,
        lr: { start: 1e-5, stop: 1e-3 },
        oneCycle: { pctStart: 0.3, div: 5 },
      },
    ]);
  });

  it('skips the frozen phase with freeze_epochs 0, and lr_mult 1 gives every group the same rate', () => {
    const phases = fineTunePhases(3, 1e-2, { freezeEpochs: 0, lrMult: 1 });
    expect(phases).toHaveLength(1);
    expect(phases[0]!.lr).toEqual({ start: 5e-3, stop: 5e-3 });
  });

  it('gives each group its rate at every step: slice(b) while frozen, geometric spacing once unfrozen', () => {
    const steps = phaseLrSteps(fineTunePhases(1), 4);
    expect(steps).toHaveLength(8);
    expect(steps.map((s) => s.frozen)).toEqual([true, true, true, true, false, false, false, false]);
    // First frozen step: lr_max / div (25) with slice(2e-3) -> [2e-4, 2e-4, 2e-3].
    steps[0]!.lrs.forEach((lr, g) => close(lr, [2e-4, 2e-4, 2e-3][g]! / 25));
    // First unfrozen step: div 5 on [1e-5, 1e-4, 1e-3]; every group stays 10x the one before it.
    steps[4]!.lrs.forEach((lr, g) => close(lr, [1e-5, 1e-4, 1e-3][g]! / 5));
    for (const s of steps.slice(4)) {
      close(s.lrs[1]! / s.lrs[0]!, 10);
      close(s.lrs[2]! / s.lrs[1]!, 10);
    }
    // The unfrozen phase peaks at its 30 % mark; of its steps (positions 0, .25, .5, .75) the one at .25 is highest.
    const head = steps.slice(4).map((s) => s.lrs[2]!);
    expect(head.indexOf(Math.max(...head))).toBe(1);
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
