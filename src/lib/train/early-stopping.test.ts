import { describe, expect, it } from 'vitest';
import { bestEpoch, compareStopAndRetrain, lrAtEndOfEpoch, verdict } from './early-stopping';
import type { EpochRecord } from './recorder';

const rec = (epoch: number, errorRate: number, validLoss: number): EpochRecord => ({
  epoch,
  trainLoss: 1,
  validLoss,
  errorRate,
  accuracy: 1 - errorRate,
  seconds: 1,
});

describe('bestEpoch', () => {
  it('picks the lowest error_rate and counts epochs from 1', () => {
    const b = bestEpoch([rec(0, 0.5, 2), rec(1, 0.3, 1.5), rec(2, 0.35, 1.4), rec(3, 0.4, 1.6)]);
    expect(b?.epochs).toBe(2);
    expect(b?.record.errorRate).toBe(0.3);
  });
  it('breaks a tie in error_rate by the lower valid_loss, then by the earlier epoch', () => {
    expect(bestEpoch([rec(0, 0.25, 1.2), rec(1, 0.25, 1.1), rec(2, 0.25, 1.3)])?.epochs).toBe(2);
    expect(bestEpoch([rec(0, 0.25, 1.1), rec(1, 0.25, 1.1)])?.epochs).toBe(1);
  });
  it('can be the last epoch, skips a NaN metric, and is null without epochs', () => {
    expect(bestEpoch([rec(0, 0.5, 2), rec(1, 0.2, 1)])?.epochs).toBe(2);
    expect(bestEpoch([rec(0, Number.NaN, 2), rec(1, 0.9, 3)])?.epochs).toBe(2);
    expect(bestEpoch([])).toBeNull();
  });
});

describe('compareStopAndRetrain', () => {
  const first = [rec(0, 0.5, 2), rec(1, 0.3, 1.5), rec(2, 0.4, 1.6)];
  it('sets the first run at its best epoch beside the retrained run at its end', () => {
    const c = compareStopAndRetrain(first, [rec(0, 0.45, 1.8), rec(1, 0.25, 1.3)]);
    expect(c.epochs).toBe(2);
    expect(c.stopped.errorRate).toBe(0.3);
    expect(c.retrained.errorRate).toBe(0.25);
    expect(c.errorChange).toBeCloseTo(-0.05, 12);
    expect(c.validLossChange).toBeCloseTo(-0.2, 12);
    expect(verdict(c)).toBe('retrained');
  });
  it('says which did better, with valid_loss deciding a tie in error', () => {
    expect(verdict(compareStopAndRetrain(first, [rec(0, 0.5, 2), rec(1, 0.35, 1.2)]))).toBe('stopped');
    expect(verdict(compareStopAndRetrain(first, [rec(0, 0.5, 2), rec(1, 0.3, 1.4)]))).toBe('retrained');
    expect(verdict(compareStopAndRetrain(first, [rec(0, 0.5, 2), rec(1, 0.3, 1.5)]))).toBe('tie');
  });
  it('refuses a retrained run of another length, and a first run without epochs', () => {
    expect(() => compareStopAndRetrain(first, [rec(0, 0.3, 1)])).toThrow(/has 1 epochs; it should have 2/);
    expect(() => compareStopAndRetrain([], [])).toThrow(/no best epoch/);
  });
});

describe('lrAtEndOfEpoch', () => {
  it('follows fit_one_cycle: near lr_max at the peak, lr_max/div_final at the very end', () => {
    // 4 epochs of 10 steps: the peak (pct_start 0.25) is at step 10; the last step of epoch 1 is step 9, just before it.
    // pos 9/40 = 0.225 is 0.9 of the warm-up: 4e-4 + (1 + cos(0.1 pi)) / 2 * (1e-2 - 4e-4).
    expect(lrAtEndOfEpoch(1e-2, 1, 4, 10)).toBeCloseTo(4e-4 + ((1 + Math.cos(0.1 * Math.PI)) / 2) * 9.6e-3, 12);
    expect(lrAtEndOfEpoch(1e-2, 1, 4, 10)).toBeLessThan(1e-2);
    // The last step of a run sits one step short of the end of the cosine: a little above lr_max / 1e5.
    const end = lrAtEndOfEpoch(1e-2, 4, 4, 10);
    expect(end).toBeGreaterThan(1e-7);
    expect(end).toBeLessThan(1e-4);
    // The same epoch count ends far lower in a run that stops there than in a longer one still mid-cycle.
    expect(lrAtEndOfEpoch(1e-2, 2, 2, 10)).toBeLessThan(lrAtEndOfEpoch(1e-2, 2, 6, 10) / 50);
  });
  it('rejects an epoch outside the run', () => {
    expect(() => lrAtEndOfEpoch(1e-2, 0, 4, 10)).toThrow();
    expect(() => lrAtEndOfEpoch(1e-2, 5, 4, 10)).toThrow();
  });
});
