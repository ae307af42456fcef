import { describe, expect, it } from 'vitest';
import { checkTargets, formatTargets } from './targets';
import type { TrainingJson } from './figures';

type Result = TrainingJson['results'][number];
const result = (kernels: string, imagesPerS: number, inferenceImagesPerS: number): Result =>
  ({
    kernels,
    backend: 'webgpu',
    imagesPerS,
    msPerStep: (64 * 1000) / imagesPerS,
    dispatchesPerStep: 100,
    inferenceImagesPerS,
    inferenceDispatches: 28,
  }) as Result;
const output = (date: string, command: string, results: Result[], o: Partial<TrainingJson> = {}): TrainingJson => ({
  kind: 'training',
  date,
  machine: 'NVIDIA H200',
  command,
  arch: 'resnet-s',
  batch: 64,
  size: 96,
  steps: 10,
  augmentMs: null,
  results,
  ...o,
});

describe('the speed targets', () => {
  it('checks our defaults against the newest stock run on the same machine, then a run with other choices apart', () => {
    const outputs = [
      output('2026-12-01T10:00:00Z', 'npm run bench -- --kernels stock', [result('stock', 130, 30000)]),
      output('2026-12-01T10:01:00Z', 'npm run bench -- --kernels ours', [result('ours', 1400, 31000)]),
      output('2026-12-01T10:03:00Z', 'npm run bench -- --kernels ours --filter-tiling m64n64r8k16w1024', [
        result('ours', 1200, 29000),
      ]),
      // Another machine's stock run is never the reference, nor is a run at another size.
      output('2026-12-01T11:00:00Z', 'npm run bench -- --kernels stock', [result('stock', 1, 1)], {
        machine: 'a laptop',
      }),
      output('2026-12-01T12:00:00Z', 'npm run bench -- --kernels stock', [result('stock', 1, 1)], { size: 64 }),
    ];
    const [defaults, tuned, ...rest] = checkTargets(outputs);
    expect(rest).toEqual([]);
    expect(defaults!.command).toBe('npm run bench -- --kernels ours');
    expect(defaults!.checks.map((c) => [c.met, c.measured])).toEqual([
      [true, '10.77x (1400.0 against 130.0 images/s)'],
      [true, '1400.0 images/s (45.7 ms per step)'],
      [true, '1.03x (31000 against 30000 images/s)'],
    ]);
    expect(tuned!.checks.map((c) => c.met)).toEqual([false, false, false]);
    const lines = formatTargets([defaults!, tuned!]);
    expect(lines[0]).toBe('targets on NVIDIA H200, ours by: npm run bench -- --kernels ours');
    expect(lines.filter((l) => l.includes('NOT MET'))).toHaveLength(3);
  });
  it('takes stock and ours from one run of both kernel sets, and says when there is nothing to check', () => {
    const both = output('2026-12-01T10:00:00Z', 'npm run bench -- --kernels both', [
      result('stock', 100, 1000),
      result('ours', 900, 990),
    ]);
    expect(checkTargets([both])[0]!.checks.map((c) => c.met)).toEqual([false, false, false]);
    // Only WebGPU runs count: the targets are about the GPU.
    const wasm = output('2026-12-01T10:00:00Z', 'npm run bench -- --backend wasm', [
      { ...result('stock', 1, 1), backend: 'wasm' },
      { ...result('ours', 20, 1), backend: 'wasm' },
    ]);
    expect(checkTargets([wasm])).toEqual([]);
    expect(formatTargets([])[0]).toContain('no stock and ours training runs at batch 64, 96 px on WebGPU');
  });
});
