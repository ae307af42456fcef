import { describe, expect, it } from 'vitest';
import { combinedCos, oneCycle, schedCos, schedExp, stepPos, ONE_CYCLE_DEFAULTS } from './schedules';
import { evenMults, groupLrs, scaleLr, slice, formatLr } from './lr-groups';
import {
  SmoothedLoss,
  diverged,
  suggestMinimum,
  suggestSlide,
  suggestSteep,
  suggestValley,
  trimForSuggestions,
} from './lr-find';

const close = (a: number, b: number, rel = 1e-12) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe('fit_one_cycle schedules (fastai defaults: div 25, div_final 1e5, pct_start 0.25)', () => {
  const lrMax = 3e-3;
  const n = 400;
  const { lr, mom } = oneCycle(lrMax);
  it('first step: lr_max / div and momentum 0.95', () => {
    close(lr(stepPos(0, n)), lrMax / 25);
    close(mom(stepPos(0, n)), 0.95);
  });
  it('at pct_start: lr_max and momentum 0.85', () => {
    close(lr(stepPos(100, n)), lrMax);
    close(mom(stepPos(100, n)), 0.85);
  });
  it('last step: the closed form of the cosine from lr_max to lr_max / div_final', () => {
    const pos = (n - 1) / n;
    const t = (pos - 0.25) / 0.75;
    close(lr(stepPos(n - 1, n)), lrMax + ((1 + Math.cos(Math.PI * (1 - t))) * (lrMax / 1e5 - lrMax)) / 2);
    close(mom(stepPos(n - 1, n)), 0.85 + ((1 + Math.cos(Math.PI * (1 - t))) * (0.95 - 0.85)) / 2);
    close(lr(1), lrMax / 1e5);
  });
  it('cosine pieces join continuously and the exponential sweeps by equal factors', () => {
    close(schedCos(1, 3)(0.5), 2);
    close(combinedCos(0.3, 1, 5, 0)(0.3), 5);
    close(schedExp(1e-7, 10)(0.5), Math.sqrt(1e-7 * 10));
    expect(ONE_CYCLE_DEFAULTS.moms).toEqual([0.95, 0.85, 0.95]);
  });
});

describe('learning rates per group', () => {
  it('slice(1e-6, 1e-4) over three groups gives 1e-6, 1e-5, 1e-4', () => {
    groupLrs(slice(1e-6, 1e-4), 3).forEach((x, i) => close(x, [1e-6, 1e-5, 1e-4][i]!, 1e-9));
  });
  it('slice(1e-3) gives 1e-4, 1e-4, 1e-3; a number gives it to every group', () => {
    groupLrs(slice(1e-3), 3).forEach((x, i) => close(x, [1e-4, 1e-4, 1e-3][i]!, 1e-9));
    expect(groupLrs(2e-3, 3)).toEqual([2e-3, 2e-3, 2e-3]);
  });
  it('even_mults, scaling and printing', () => {
    expect(evenMults(1, 8, 4).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 2, 4, 8]);
    expect(scaleLr(slice(1e-5, 1e-3), 0.5)).toEqual({ start: 5e-6, stop: 5e-4 });
    expect(formatLr(slice(1e-6, 1e-4))).toBe('slice(1e-6, 1e-4)');
  });
});

describe('lr_find', () => {
  it('smooths with a debiased moving average (beta 0.98)', () => {
    const s = new SmoothedLoss();
    expect(s.add(2)).toBeCloseTo(2, 12); // debiasing makes the first value exact
    s.add(4);
    expect(s.value).toBeCloseTo((0.98 * 0.02 * 2 + 0.02 * 4) / (1 - 0.98 ** 2), 12);
  });
  it('stops on a loss over 4x the best, or on NaN', () => {
    expect(diverged(4.01, 1)).toBe(true);
    expect(diverged(3.99, 1)).toBe(false);
    expect(diverged(NaN, 1)).toBe(true);
  });

  // A synthetic sweep: flat, then a long fall, a minimum, then divergence.
  const lrs = Array.from({ length: 100 }, (_, i) => 1e-7 * 1e8 ** (i / 99));
  const losses = lrs.map((lr) => {
    const x = Math.log10(lr); // -7 .. 1
    return x < -4 ? 2.5 : x < -1.5 ? 2.5 - 0.8 * (x + 4) : x < -1 ? 0.5 : 0.5 + 6 * (x + 1) ** 2;
  });
  it('minimum: a tenth of the rate at the lowest loss', () => {
    const m = suggestMinimum(lrs, losses);
    expect(losses[m.index]).toBe(Math.min(...losses));
    close(m.lr, lrs[m.index]! / 10);
  });
  it('steep: the steepest fall in log(lr)', () => {
    const s = suggestSteep(lrs, losses);
    expect(Math.log10(s.lr)).toBeGreaterThan(-4.1);
    expect(Math.log10(s.lr)).toBeLessThan(-1.5);
    expect(losses[s.index + 1]! - losses[s.index]!).toBeLessThan(0);
  });
  it('valley: a third plus a sixth into the longest decreasing stretch', () => {
    const v = suggestValley(lrs, losses);
    // the decreasing stretch starts at the last flat point (x = -4) and ends where the fall stops (x = -1.5)
    const start = lrs.findIndex((lr) => Math.log10(lr) >= -4) - 1;
    const end = lrs.findIndex((lr) => Math.log10(lr) >= -1.5);
    const sections = (end - start) / 3;
    expect(v.index).toBe(start + Math.trunc(sections) + Math.trunc(sections / 2));
  });
  it('slide: settles left of the divergence', () => {
    const s = suggestSlide(lrs, losses);
    expect(Math.log10(s.lr)).toBeLessThan(-1);
  });
  it('suggestions use losses[num_it/10 : -5]', () => {
    const t = trimForSuggestions(lrs, losses, 100);
    expect(t.lrs).toHaveLength(85);
    expect(t.lrs[0]).toBe(lrs[10]);
  });
});
