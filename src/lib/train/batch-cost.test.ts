// The first guess of a batch's cost: scaled by the work per image and the batch, from figures that are in the
// benchmark record.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessBatchSeconds, REFERENCE_RATES } from './batch-cost';

describe('guessBatchSeconds', () => {
  it('uses only figures recorded in benchmarks/results.json', () => {
    const runs = (
      JSON.parse(readFileSync('benchmarks/results.json', 'utf8')) as { runs: { command: string; value: number }[] }
    ).runs;
    for (const ref of Object.values(REFERENCE_RATES))
      expect(runs.some((r) => r.command === ref.command && r.value === ref.imagesPerS)).toBe(true);
  });
  it('scales with the batch and the work per image; no figure, no guess', () => {
    const one = guessBatchSeconds({ backend: 'wasm', arch: 'resnet-s', size: 64, batch: 16 })!;
    expect(one).toBeCloseTo(16 / 12.1);
    expect(guessBatchSeconds({ backend: 'wasm', arch: 'resnet-s', size: 64, batch: 32 })).toBeCloseTo(2 * one);
    expect(guessBatchSeconds({ backend: 'wasm', arch: 'resnet-s', size: 128, batch: 16 })!).toBeGreaterThan(3 * one);
    expect(guessBatchSeconds({ backend: 'wasm', arch: 'resnet-tiny', size: 64, batch: 16 })!).toBeLessThan(one);
    expect(guessBatchSeconds({ backend: 'cpu', arch: 'resnet-s', size: 64, batch: 16 })).toBeNull();
  });
});
