import { describe, expect, it } from 'vitest';
import { groupRuns, type RecordedRun } from './recorded-run';

const run = (date: string, machine: string, command: string, metric: string): RecordedRun => ({
  date,
  machine,
  command,
  metric,
  value: 1,
  unit: 'ms',
});

describe('groupRuns', () => {
  it('lists runs newest first, each machine and date once, each command once above its figures', () => {
    const runs = [
      run('2026-11-28T22:04:00Z', 'H200', 'npm run bench -- --kernels stock', 'stock step'),
      run('2026-11-28T22:04:00Z', 'H200', 'npm run bench -- --kernels ours', 'ours step'),
      run('2026-11-28T22:04:00Z', 'H200', 'npm run bench -- --kernels stock', 'stock inference'),
      run('2026-11-29T00:04:29.939Z', 'Xeon', 'npm run bench -- --backend wasm', 'wasm step'),
      // Same moment, another machine: another run.
      run('2026-11-28T22:04:00Z', 'Xeon', 'npm run bench:data', 'data'),
      run('2026-11-28T20:58:00Z', 'Xeon', 'npm run bench:data', 'older data'),
    ];
    const groups = groupRuns(runs);
    expect(groups.map((g) => [g.date, g.machine])).toEqual([
      ['2026-11-29T00:04:29.939Z', 'Xeon'],
      ['2026-11-28T22:04:00Z', 'H200'],
      ['2026-11-28T22:04:00Z', 'Xeon'],
      ['2026-11-28T20:58:00Z', 'Xeon'],
    ]);
    expect(groups[1]!.commands.map((c) => [c.command, c.figures.map((f) => f.metric)])).toEqual([
      ['npm run bench -- --kernels stock', ['stock step', 'stock inference']],
      ['npm run bench -- --kernels ours', ['ours step']],
    ]);
    expect(groups.flatMap((g) => g.commands.flatMap((c) => c.figures))).toHaveLength(runs.length);
  });
  it('dates written with or without milliseconds order by time, not by text', () => {
    const groups = groupRuns([
      run('2026-11-29T01:00:00Z', 'a', 'c', 'm'),
      run('2026-11-29T01:00:00.500Z', 'b', 'c', 'm'),
    ]);
    expect(groups.map((g) => g.machine)).toEqual(['b', 'a']);
  });
});
