import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER_TILING,
  DEFAULT_PLAN_SPEC,
  FILTER_TILINGS,
  filterTilingFor,
  filterTilingPlan,
  parsePlan,
  parseTiling,
  planSpec,
  setFilterTiling,
  stagingOf,
  threadsOf,
  tilingSpec,
} from './filter-tiling';

/** The tiling of the layers the default plan does not name. */
const DEFAULT_REST = parsePlan(DEFAULT_FILTER_TILING).rest;

describe('filter-gradient tilings', () => {
  it('reads a spec and writes it back', () => {
    expect(parseTiling('m64n32r8k32w4096p')).toEqual({
      tileM: 64,
      tileN: 32,
      rowsPerThread: 8,
      stageRows: 32,
      targetWorkgroups: 4096,
      vec4: false,
      prefetch: true,
    });
    expect(parseTiling('m32n32r4k32w1024v')).toMatchObject({ vec4: true, prefetch: false });
    for (const spec of [...FILTER_TILINGS, 'm16n16r4k4w1', 'm16n16r4k4w1vp'])
      expect(tilingSpec(parseTiling(spec))).toBe(spec);
    expect(threadsOf(parseTiling('m64n32r8k32w1')).reduce((a, b) => a * b)).toBe(64);
  });
  it('every tiling of the default plan is one of the presets every test runs', () => {
    const { rest, byFilter } = parsePlan(DEFAULT_FILTER_TILING);
    for (const spec of [rest, ...byFilter.values()]) expect(FILTER_TILINGS).toContain(spec);
  });
  it('stages 4 channels per load with vec4: a quarter of the columns, so each thread takes 4 times the row step', () => {
    expect(stagingOf(parseTiling('m32n32r4k32w1024'))).toEqual({
      colsA: 32,
      colsB: 32,
      stepA: 2,
      stepB: 2,
      perA: 16,
      perB: 16,
    });
    expect(stagingOf(parseTiling('m32n32r4k32w1024v'))).toEqual({
      colsA: 8,
      colsB: 8,
      stepA: 8,
      stepB: 8,
      perA: 4,
      perB: 4,
    });
  });
  it('drops 4-channel loads for a layer whose channels are not multiples of 4', () => {
    try {
      setFilterTiling('m32n32r4k32w1024vp');
      expect(filterTilingFor([3, 3, 32, 64])).toBe('m32n32r4k32w1024vp');
      expect(filterTilingFor([3, 3, 3, 32])).toBe('m32n32r4k32w1024p');
      expect(filterTilingFor([1, 1, 8, 6])).toBe('m32n32r4k32w1024p');
    } finally {
      setFilterTiling(null);
    }
  });
  it('follows a plan: the named filter shapes their own tiling, the rest one tiling', () => {
    try {
      setFilterTiling('3x3x32x32=m64n64r8k16w1024, m32n32r4k32w4096p ,1x1x32x64=m32n32r4k32w1024v');
      expect(filterTilingFor([3, 3, 32, 32])).toBe('m64n64r8k16w1024');
      expect(filterTilingFor([1, 1, 32, 64])).toBe('m32n32r4k32w1024v');
      // Another filter shape, the same one transposed, or another kernel size: the rest's tiling.
      expect(filterTilingFor([3, 3, 32, 64])).toBe('m32n32r4k32w4096p');
      expect(filterTilingFor([3, 3, 64, 32])).toBe('m32n32r4k32w4096p');
      expect(filterTilingFor([1, 1, 32, 32])).toBe('m32n32r4k32w4096p');
      setFilterTiling('3x3x3x32=m32n32r4k32w1024vp');
      expect(filterTilingFor([3, 3, 3, 32])).toBe('m32n32r4k32w1024p');
      // A plan that gives no tiling for the rest leaves them the default's.
      expect(filterTilingFor([3, 3, 32, 32])).toBe(DEFAULT_REST);
    } finally {
      setFilterTiling(null);
    }
    expect(filterTilingPlan()).toBe(DEFAULT_PLAN_SPEC);
  });
  it('writes a plan back in one order, whatever order it was given in', () => {
    const plan = parsePlan('3x3x64x64=m64n32r8k32w1024,1x1x32x64=m32n32r4k32w1024v,m32n32r4k32w4096');
    expect(planSpec(plan)).toBe('m32n32r4k32w4096,1x1x32x64=m32n32r4k32w1024v,3x3x64x64=m64n32r8k32w1024');
    expect(planSpec(parsePlan(planSpec(plan)))).toBe(planSpec(plan));
    expect(planSpec(parsePlan('m64n32r8k32w1024'))).toBe('m64n32r8k32w1024');
  });
  it.each([
    ['3x3x32x32=m32n32r4k32w1024,3x3x32x32=m64n32r8k32w1024', 'names filter 3x3x32x32 twice'],
    ['m32n32r4k32w1024,m64n32r8k32w1024', 'two tilings for the layers it does not name'],
    ['3x3x32=m32n32r4k32w1024', 'does not name a filter shape'],
    ['3x3x32x32=m32n32r6k32w1', 'must be 4 or 8'],
    ['3x3x32x32=', 'is not a tiling'],
    ['', 'is not a tiling'],
  ])('refuses the plan %s, saying why, and keeps the one it had', (text, why) => {
    expect(() => parsePlan(text)).toThrow(why);
    expect(() => setFilterTiling(text)).toThrow(why);
    expect(filterTilingPlan()).toBe(DEFAULT_PLAN_SPEC);
  });
  it.each([
    ['m32n32', 'is not a tiling'],
    ['m32n32r6k32w1', 'must be 4 or 8'],
    ['m30n32r4k32w1', 'whole multiples'],
    ['m128n64r4k16w1', '512 threads per workgroup'],
    ['m16n8r4k4w1', 'cannot stage'],
    ['m64n64r4k2w1', 'do not divide'],
    ['m64n64r4k64w1', '32768 bytes of workgroup memory'],
    ['m32n32r4k32w0', 'from 1 to 65535'],
    ['m32n32r4k32w65536', 'from 1 to 65535'],
    ['m64n16r8k8w1v', 'without 4-channel loads'],
    ['m32n32r4k4w1v', 'do not divide'],
  ])('refuses %s, saying why', (spec, why) => {
    expect(() => parseTiling(spec)).toThrow(why);
    expect(() => setFilterTiling(spec)).toThrow(why);
    expect(filterTilingPlan()).toBe(DEFAULT_PLAN_SPEC);
  });
});
