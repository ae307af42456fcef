// The trace rows say where each step's bytes came from and what was checked.
import { describe, expect, it } from 'vitest';
import { rowOf } from './rows';

describe('pack trace rows', () => {
  it('names the source and the check of each step', () => {
    expect(
      rowOf(
        { kind: 'shard', file: 'shard-000.bin', bytes: 5543908, ms: 12, source: 'cache', check: 'sha256', attempt: 0 },
        30,
      ),
    ).toMatchObject({
      step: 'read shard-000.bin',
      what: 'checked its length and SHA-256',
      from: 'Cache API',
      bytes: 5543908,
      problem: false,
    });
    expect(
      rowOf(
        { kind: 'shard', file: 'shard-000.bin', bytes: 10, ms: 1, source: 'network', check: 'length', attempt: 2 },
        0,
      ).what,
    ).toBe('checked its length (second try)');
    expect(
      rowOf(
        {
          kind: 'rejected',
          file: 'shard-000.bin',
          source: 'network',
          reason: 'connection closed after 1.2 of 5.3 MB',
          attempt: 1,
        },
        0,
      ),
    ).toMatchObject({
      what: 'connection closed after 1.2 of 5.3 MB; trying once more',
      problem: true,
      from: 'network',
    });
    expect(
      rowOf(
        {
          kind: 'manifest',
          url: '/data/pets/manifest.json',
          bytes: 61000,
          ms: 3,
          shards: 1,
          total: 5543908,
          checksums: true,
        },
        3,
      ).what,
    ).toBe('1 shard, 5.3 MB; a SHA-256 for each shard');
    expect(
      rowOf({ kind: 'superseded', url: 'http://x.test/data/pets/shard-000.bin?v=2026-01-01T00%3A00%3A00.000Z' }, 0)
        .what,
    ).toBe('shard-000.bin cached for another manifest (2026-01-01T00:00:00.000Z)');
  });
});
