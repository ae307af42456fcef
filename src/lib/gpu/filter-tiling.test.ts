import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER_TILING, FILTER_TILINGS, filterTilingFor, parseTiling, setFilterTiling, threadsOf, tilingSpec } from './filter-tiling';

describe('filter-gradient tilings', () => {
  it('reads a spec and writes it back', () => {
    expect(parseTiling('m64n32r8k32w4096p')).toEqual({ tileM: 64, tileN: 32, rowsPerThread: 8, stageRows: 32, targetWorkgroups: 4096, prefetch: true });
    for (const spec of [...FILTER_TILINGS, 'm16n16r4k4w1']) expect(tilingSpec(parseTiling(spec))).toBe(spec);
    expect(threadsOf(parseTiling('m64n32r8k32w1')).reduce((a, b) => a * b)).toBe(64);
  });
  it('the default is one of the presets every test runs', () => {
    expect(FILTER_TILINGS).toContain(DEFAULT_FILTER_TILING);
  });
  it.each([
    ['m32n32', 'is not a tiling'],
    ['m32n32r6k32w1', 'must be 4 or 8'],
    ['m30n32r4k32w1', 'whole multiples'],
    ['m128n64r4k16w1', '512 threads per workgroup'],
    ['m16n8r4k4w1', 'cannot stage'],
    ['m64n64r4k2w1', 'do not divide'],
    ['m64n64r4k64w1', '32768 bytes of workgroup memory'],
    ['m32n32r4k32w0', 'at least 1'],
  ])('refuses %s, saying why', (spec, why) => {
    expect(() => parseTiling(spec)).toThrow(why);
    expect(() => setFilterTiling(spec)).toThrow(why);
    expect(filterTilingFor()).toBe(DEFAULT_FILTER_TILING);
  });
});
