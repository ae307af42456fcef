import { afterEach, describe, expect, it } from 'vitest';
import { LOGICAL_CORES, MAX_WASM_THREADS, reportCoresFor, wasmThreadsWanted } from './wasm-threads';

describe('the threads wasm is asked for', () => {
  it('is every core the browser reports but one, up to the compute workers TF.js starts with', () => {
    expect(wasmThreadsWanted(null, 2)).toBe(1);
    expect(wasmThreadsWanted(null, 4)).toBe(3);
    expect(wasmThreadsWanted(null, 10)).toBe(MAX_WASM_THREADS);
    expect(wasmThreadsWanted(null, 64)).toBe(MAX_WASM_THREADS);
  });
  it('is one where the browser reports one core or nothing usable', () => {
    for (const cores of [1, undefined, 0, -3, 2.5, Number.NaN]) expect(wasmThreadsWanted(null, cores)).toBe(1);
  });
  it('takes ?threads=N from 1 to 9, and ignores anything else', () => {
    expect(wasmThreadsWanted('1', 8)).toBe(1);
    expect(wasmThreadsWanted(' 3 ', 8)).toBe(3);
    expect(wasmThreadsWanted('9', 2)).toBe(9);
    for (const hostile of ['0', '10', '-1', '2.5', '1e3', 'two', '', '<script>', '4;drop'])
      expect(wasmThreadsWanted(hostile, 4)).toBe(3);
  });
});

describe('the logical cores our patched TF.js factory reads', () => {
  afterEach(() => delete (globalThis as Record<string, unknown>)[LOGICAL_CORES]);
  it('are twice the threads wanted, since TF.js computes on half of them', () => {
    reportCoresFor(3);
    expect((globalThis as Record<string, unknown>)[LOGICAL_CORES]).toBe(6);
  });
});
