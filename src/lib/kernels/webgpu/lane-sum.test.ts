// How many lanes a per-channel reduction gets for its number of rows.
import { describe, expect, it } from 'vitest';
import { LANES, lanesFor } from './lane-sum';

describe('lanesFor', () => {
  it('gives each thread about 8 rows, in powers of two from 32 to the workgroup limit', () => {
    expect([1, 256, 257, 512, 600, 1024, 1025, 2048, 2049, 147_456].map(lanesFor)).toEqual([
      32, 32, 64, 64, 128, 128, 256, 256, 256, 256,
    ]);
    expect(LANES).toBe(256);
  });
});
