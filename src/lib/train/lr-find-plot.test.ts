import { describe, expect, it } from 'vitest';
import { lossAtLr, lrFindLossRange, STOP_FACTOR } from './lr-find-plot';

describe('lrFindLossRange', () => {
  it('ends the axis at 4x the best smoothed loss when the curve climbs past it', () => {
    // A sweep that falls from 3.6 to 1.5 and then shoots up to 9 before the stop rule ends it.
    const smooth = [3.6, 3.5, 3.0, 2.2, 1.5, 1.6, 2.5, 4.0, 6.5, 9.0];
    const [lo, hi] = lrFindLossRange(smooth)!;
    expect(hi).toBeCloseTo(STOP_FACTOR * 1.5, 12);
    expect(lo).toBeLessThan(1.5);
    expect(lo).toBeGreaterThan(1.5 - 0.05 * (6 - 1.5) - 1e-9);
  });

  it('ends at the highest smoothed loss when that is under the stop line', () => {
    const [lo, hi] = lrFindLossRange([3.6, 3.2, 2.4, 2.0, 2.3])!;
    expect(hi).toBe(3.6);
    expect(lo).toBeCloseTo(2.0 - 0.05 * 1.6, 12);
  });

  it('ignores values that are not finite (a diverged last batch)', () => {
    expect(lrFindLossRange([2, 1, NaN, Infinity])![1]).toBe(2);
    expect(lrFindLossRange([NaN])).toBeNull();
    expect(lrFindLossRange([])).toBeNull();
  });

  it('gives a flat curve room around it', () => {
    const [lo, hi] = lrFindLossRange([2, 2, 2])!;
    expect(lo).toBeLessThan(2);
    expect(hi).toBeGreaterThan(2);
  });
});

describe('lossAtLr', () => {
  const lrs = [1e-4, 1e-3, 1e-2];
  const losses = [3, 2, 4];
  it('reads a swept rate exactly and interpolates in log(lr) between rates', () => {
    expect(lossAtLr(lrs, losses, 1e-3)).toBe(2);
    expect(lossAtLr(lrs, losses, 10 ** -3.5)).toBeCloseTo(2.5, 12);
    expect(lossAtLr(lrs, losses, 10 ** -2.25)).toBeCloseTo(3.5, 12);
  });
  it('is NaN outside the sweep or for a rate that is not a positive number', () => {
    expect(lossAtLr(lrs, losses, 1e-5)).toBeNaN();
    expect(lossAtLr(lrs, losses, 1)).toBeNaN();
    expect(lossAtLr(lrs, losses, NaN)).toBeNaN();
    expect(lossAtLr([], [], 1e-3)).toBeNaN();
  });
});
