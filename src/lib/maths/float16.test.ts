import { describe, expect, it } from 'vitest';
import {
  accumulate,
  F16_EPSILON,
  F16_MAX,
  F16_MIN_NORMAL,
  F16_MIN_SUBNORMAL,
  f16round,
  f16roundFallback,
  fields,
  fromBits,
  lossScalingCounts,
  logSpaced,
  neighbours,
  scaledGradient,
  toBits,
} from './float16';
import { seededRng } from '../data/rng';

describe('float16 facts', () => {
  it('the largest finite value is 65504, and 65520 (a half step above) overflows, ties going to even', () => {
    expect(F16_MAX).toBe(65504);
    expect(fromBits(0x7bff)).toBe(65504);
    expect(f16roundFallback(65519.99)).toBe(65504);
    expect(f16roundFallback(65520)).toBe(Infinity);
    expect(f16roundFallback(-70000)).toBe(-Infinity);
  });
  it('the smallest normal is 2^-14 (about 6.1e-5) and the smallest subnormal 2^-24 (about 6.0e-8)', () => {
    expect(F16_MIN_NORMAL).toBeCloseTo(6.1035e-5, 8);
    expect(fromBits(0x0400)).toBe(F16_MIN_NORMAL);
    expect(fromBits(0x0001)).toBe(F16_MIN_SUBNORMAL);
    expect(F16_MIN_SUBNORMAL).toBeCloseTo(5.96e-8, 10);
    // half the smallest subnormal ties to even: zero; a little more rounds up to it
    expect(f16roundFallback(2 ** -25)).toBe(0);
    expect(f16roundFallback(2 ** -25 * 1.01)).toBe(F16_MIN_SUBNORMAL);
  });
  it('the spacing at 1 is 2^-10: 1 + 2^-11 rounds back to 1, 1 + 3 * 2^-11 to 1 + 2^-9', () => {
    expect(F16_EPSILON).toBe(2 ** -10);
    expect(neighbours(1)).toEqual({ below: 1 - 2 ** -11, value: 1, above: 1 + 2 ** -10, spacing: 2 ** -10 });
    expect(f16roundFallback(1 + 2 ** -11)).toBe(1);
    expect(f16roundFallback(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(neighbours(1000).spacing).toBe(0.5);
    expect(neighbours(-3).below).toBe(-3 - 2 ** -9);
    expect(neighbours(0).above).toBe(F16_MIN_SUBNORMAL);
    expect(neighbours(70000)).toEqual({ below: F16_MAX, value: Infinity, above: Infinity, spacing: NaN });
    expect(neighbours(-1e6).above).toBe(-F16_MAX);
    expect(neighbours(F16_MAX)).toEqual({ below: 65472, value: F16_MAX, above: Infinity, spacing: 32 });
  });
  it('bits: 1 is 0x3c00, -2 is 0xc000, and every one of the 63,488 finite patterns round-trips', () => {
    expect(toBits(1)).toBe(0x3c00);
    expect(toBits(-2)).toBe(0xc000);
    expect(toBits(Infinity)).toBe(0x7c00);
    expect(fields(1)).toEqual({ sign: '0', exponent: '01111', fraction: '0000000000', kind: 'normal' });
    expect(fields(F16_MIN_SUBNORMAL).kind).toBe('subnormal');
    const wrong: number[] = [];
    let finite = 0;
    for (let h = 0; h < 0x10000; h++) {
      if (((h >> 10) & 0x1f) === 0x1f) continue;
      finite++;
      const v = fromBits(h);
      if (f16roundFallback(v) !== v || (v !== 0 && toBits(v) !== h)) wrong.push(h);
    }
    expect(finite).toBe(63488);
    expect(wrong).toEqual([]);
  });
  it('the fallback agrees with Math.f16round on edge cases and 20,000 random values', () => {
    const native = (Math as { f16round?: (x: number) => number }).f16round;
    if (typeof native !== 'function') {
      expect(f16round).toBe(f16roundFallback);
      return;
    }
    const rng = seededRng(7);
    const xs = [
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      65504,
      65519,
      65520,
      65536,
      2 ** -24,
      2 ** -25,
      3 * 2 ** -26,
      1e-9,
      1 / 3,
      Math.PI,
      -1e5,
    ];
    for (let i = 0; i < 20000; i++) xs.push((rng.next() - 0.5) * 10 ** (rng.next() * 14 - 9));
    expect(xs.filter((x) => !Object.is(f16roundFallback(x), native(x)))).toEqual([]);
  });
});

describe('what mixed precision deals with', () => {
  it('a gradient of 1e-8 underflows to zero in float16; scaled by 2^16 it survives to within float16 precision', () => {
    expect(f16round(1e-8)).toBe(0);
    const r = scaledGradient(1e-8, 2 ** 16);
    expect(r.overflow).toBe(false);
    expect(Math.abs(r.recovered - 1e-8) / 1e-8).toBeLessThan(2 ** -10);
  });
  it('too large a scale overflows, which a dynamic loss scaler answers by skipping the step and halving the scale', () => {
    expect(scaledGradient(0.5, 2 ** 17).overflow).toBe(true);
    const grads = logSpaced(-10, -1, 91);
    const none = lossScalingCounts(grads, 1);
    const scaled = lossScalingCounts(grads, 2 ** 16);
    expect(none.zero).toBeGreaterThan(20); // below about 3e-8
    expect(scaled.zero).toBeLessThan(none.zero);
    expect(lossScalingCounts(grads, 2 ** 24).overflow).toBeGreaterThan(0);
  });
  it('updates of 1e-4 to a weight of 1 stall in float16 (its spacing there is 2^-10) but add up in a float32 master copy', () => {
    const { f16, master } = accumulate(1, 1e-4, 100);
    expect(f16.at(-1)).toBe(1);
    expect(master.at(-1)).toBeCloseTo(1.01, 4);
    expect(f16round(master.at(-1)!)).not.toBe(1);
  });
});
