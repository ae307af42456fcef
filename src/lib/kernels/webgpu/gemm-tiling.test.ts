import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GEMM_PLAN_SPEC,
  DEFAULT_GEMM_TILING,
  GEMM_TILINGS,
  gemmStagingOf,
  gemmThreadsOf,
  gemmTilingFor,
  gemmTilingPlan,
  gemmTilingSpec,
  parseGemmPlan,
  parseGemmTiling,
  setGemmTiling,
} from './gemm-tiling';

describe('forward and input-gradient tilings', () => {
  it('reads a spec and writes it back', () => {
    expect(parseGemmTiling('m64n32r8k16vp')).toEqual({
      tileM: 64,
      tileN: 32,
      rowsPerThread: 8,
      tileK: 16,
      vec4: true,
      prefetch: true,
    });
    for (const spec of [...GEMM_TILINGS, 'm16n16r4k1', 'm128n64r8k8'])
      expect(gemmTilingSpec(parseGemmTiling(spec))).toBe(spec);
    expect(gemmThreadsOf(parseGemmTiling('m64n64r4k16')).reduce((a, b) => a * b)).toBe(256);
    expect(GEMM_TILINGS).toContain(DEFAULT_GEMM_TILING);
  });
  it('stages 4 channels per load with vec4: a quarter of the columns, each thread 4 times the row step', () => {
    expect(gemmStagingOf(parseGemmTiling('m64n32r8k16'))).toEqual({
      colsA: 16,
      stepA: 4,
      perA: 16,
      colsB: 32,
      stepB: 2,
      perB: 8,
      colsBt: 16,
      stepBt: 4,
      perBt: 8,
    });
    expect(gemmStagingOf(parseGemmTiling('m64n32r8k16v'))).toEqual({
      colsA: 4,
      stepA: 16,
      perA: 4,
      colsB: 8,
      stepB: 8,
      perB: 2,
      colsBt: 4,
      stepBt: 16,
      perBt: 2,
    });
  });
  it('keeps one plan per kernel, drops 4-channel loads where channels are not in fours, and goes back to the default', () => {
    try {
      setGemmTiling('forward', '3x3x32x64=m32n32r4k16,m64n64r8k16vp');
      expect(gemmTilingFor('forward', [3, 3, 32, 64])).toBe('m32n32r4k16');
      expect(gemmTilingFor('forward', [1, 1, 32, 64])).toBe('m64n64r8k16vp');
      expect(gemmTilingFor('forward', [3, 3, 3, 32])).toBe('m64n64r8k16p');
      expect(gemmTilingFor('input', [3, 3, 32, 64])).toBe(DEFAULT_GEMM_TILING);
      expect(gemmTilingFor('input', [3, 3, 32, 6])).toBe(DEFAULT_GEMM_TILING.replace('v', ''));
      expect(gemmTilingPlan('forward')).toBe('m64n64r8k16vp,3x3x32x64=m32n32r4k16');
    } finally {
      setGemmTiling('forward', null);
    }
    expect(gemmTilingPlan('forward')).toBe(DEFAULT_GEMM_PLAN_SPEC);
    // A plan that names only some filters leaves the rest the default's.
    expect(parseGemmPlan('1x1x8x8=m32n32r4k16').rest).toBe(DEFAULT_GEMM_TILING);
  });
  it.each([
    ['m64n32', 'is not a convolution tiling'],
    ['m64n32r6k16', 'must be 4 or 8'],
    ['m30n32r8k16', 'whole multiples'],
    ['m64n32r8k6v', 'a multiple of 4'],
    ['m128n64r4k16', '512 threads per workgroup'],
    ['m16n16r4k32', 'cannot stage the tiles evenly'],
    ['m128n64r8k32', '24576 bytes of workgroup memory'],
    ['m128n64r8k8v', 'cannot stage the tiles evenly'],
  ])('refuses %s, saying why, and keeps the plan it had', (spec, why) => {
    expect(() => parseGemmTiling(spec)).toThrow(why);
    expect(() => setGemmTiling('input', spec)).toThrow(why);
    expect(gemmTilingPlan('input')).toBe(DEFAULT_GEMM_PLAN_SPEC);
  });
});
