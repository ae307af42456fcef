import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figuresOf, type ConvJson, type HostOnlyJson, type TrainingJson } from './figures';

const provenance = {
  date: '2026-11-29T03:00:00.000Z',
  machine: 'a GPU machine',
  arch: 'resnet-s',
  batch: 64,
  size: 96,
  steps: 10,
};

const training: TrainingJson = {
  kind: 'training',
  ...provenance,
  command: 'npm run bench -- --backend webgpu --kernels ours',
  augmentMs: 3,
  results: [
    {
      kernels: 'ours',
      backend: 'webgpu',
      imagesPerS: 1234.56,
      msPerStep: 51.84,
      dispatchesPerStep: 1340,
      inferenceImagesPerS: 9876.54,
      inferenceDispatches: 28,
    },
  ],
};

const hostOnly: HostOnlyJson = {
  kind: 'host-only',
  ...provenance,
  command: 'npm run bench -- --host-only',
  results: [{ kernels: 'stock', backend: 'webgpu', msPerStep: 280, hostMsPerStep: 275.04, dispatchesPerStep: 1239 }],
};

const layer = (name: string) => ({
  name,
  x: [64, 48, 48, 32] as [number, number, number, number],
  k: 3,
  cout: 32,
  stride: 1,
  pad: 1,
});
const time = (l: string, kernel: string, variant: string, ms: number, error: number | null) => ({
  layer: l,
  kernel,
  variant,
  ms,
  tflops: 1,
  error,
});
const conv: ConvJson = {
  kind: 'conv',
  ...provenance,
  command: 'npm run bench:conv',
  backend: 'webgpu',
  clock: 'gpu',
  layers: [layer('a'), layer('b')],
  times: [
    time('a', 'filter gradient', 'stock', 80, null),
    time('b', 'filter gradient', 'stock', 20, null),
    time('a', 'filter gradient', 'm32n32r4k32w1024', 4, 1e-6),
    time('b', 'filter gradient', 'm32n32r4k32w1024', 1.5, 1e-6),
    // Fast and wrong on one layer: never a figure.
    time('a', 'filter gradient', 'm64n64r4k16w1024', 1, 1e-6),
    time('b', 'filter gradient', 'm64n64r4k16w1024', 1, 0.5),
    time('a', 'input gradient', 'mm', 3, 0),
    time('b', 'input gradient', 'mm', 4, 0),
  ],
};

describe('benchmark figures', () => {
  it('a training run gives its training and inference figures, with the command that reproduces them', () => {
    expect(figuresOf(training)).toEqual([
      expect.objectContaining({
        metric: 'resnet-s training step, batch 64 at 96 px, ours kernels',
        value: 1234.6,
        unit: 'images/s (51.8 ms/step; 1,340 GPU dispatches)',
        command: training.command,
        machine: 'a GPU machine',
        backend: 'webgpu',
      }),
      expect.objectContaining({
        metric: 'resnet-s inference, batch 64 at 96 px, ours kernels',
        value: 9876.5,
        unit: 'images/s (28 GPU dispatches)',
      }),
    ]);
  });
  it('a CPU run with the PyTorch peer gives its figure and our ratio to it, after our own', () => {
    const cpu: TrainingJson = {
      ...training,
      command: 'npm run bench -- --backend wasm --kernels ours',
      batch: 16,
      size: 64,
      results: [
        {
          kernels: 'ours',
          backend: 'wasm',
          imagesPerS: 40,
          msPerStep: 400,
          dispatchesPerStep: null,
          inferenceImagesPerS: 300,
          inferenceDispatches: null,
        },
      ],
      peer: { name: 'PyTorch 1.13.0 eager, 1 thread', threads: 1, msPerStep: 160, steps: 8, ourThreads: 1 },
    };
    expect(figuresOf(cpu).slice(2)).toEqual([
      expect.objectContaining({
        backend: 'PyTorch',
        metric:
          'resnet-s training step, batch 16 at 64 px, PyTorch 1.13.0 eager, 1 thread (steps interleaved with ours)',
        value: 100,
        unit: 'images/s (160.0 ms/step)',
      }),
      expect.objectContaining({
        backend: 'wasm',
        metric:
          'resnet-s training step, batch 16 at 64 px, ours kernels on 1 thread against PyTorch 1.13.0 eager, 1 thread',
        value: 2.5,
        unit: 'x its ms/step (target: at most 3x)',
      }),
    ]);
  });
  it('a browser run with jax-js gives its figure and how many times faster ours is, last', () => {
    const browser: TrainingJson = {
      ...training,
      command: 'npm run bench -- --backend wasm --kernels ours --browser --jax --jax-steps 2',
      batch: 16,
      size: 64,
      results: [
        {
          kernels: 'ours',
          backend: 'wasm',
          imagesPerS: 50,
          msPerStep: 320,
          dispatchesPerStep: null,
          inferenceImagesPerS: 300,
          inferenceDispatches: null,
        },
      ],
      browserPeer: { name: 'jax-js 0.1.25, wasm, 2 threads', device: 'wasm', threads: 2, msPerStep: 48_000, steps: 2 },
    };
    expect(figuresOf(browser).slice(2)).toEqual([
      expect.objectContaining({
        backend: 'jax-js',
        metric: 'resnet-s training step, batch 16 at 64 px, jax-js 0.1.25, wasm, 2 threads (in the same browser)',
        value: 0.33,
        unit: 'images/s (48000 ms/step, median of 2)',
      }),
      expect.objectContaining({
        backend: 'wasm',
        metric: 'resnet-s training step, batch 16 at 64 px, ours kernels against jax-js 0.1.25, wasm, 2 threads',
        value: 150,
        unit: 'x its speed',
      }),
    ]);
  });
  it('a CPU-only run gives the step time and the ceiling it sets', () => {
    const [f] = figuresOf(hostOnly);
    expect(f).toMatchObject({
      metric: 'resnet-s training step on the CPU alone (GPU work dropped), stock kernels',
      value: 280,
    });
    expect(f!.unit).toContain('no GPU can beat 229 images/s');
  });
  it('a conv run gives each variant summed over the layers, leaving out one that was wrong anywhere', () => {
    expect(figuresOf(conv).map((f) => [f.metric, f.value])).toEqual([
      ['resnet-s filter gradient over all 2 convolutions, batch 64 at 96 px, TF.js stock kernel', 100],
      ['resnet-s filter gradient over all 2 convolutions, batch 64 at 96 px, our tiling m32n32r4k32w1024', 5.5],
      [
        'resnet-s input gradient over all 2 convolutions, batch 64 at 96 px, TF.js mm (WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE=false)',
        7,
      ],
    ]);
  });
  it("a conv run where each filter shape's own tiling beats the one fastest gives that plan's time too", () => {
    const shortcut = { ...layer('s'), k: 1, pad: 0 };
    const plan: ConvJson = {
      ...conv,
      layers: [layer('a'), shortcut],
      times: [
        time('a', 'filter gradient', 'm32n32r4k32w1024', 4, 0),
        time('s', 'filter gradient', 'm32n32r4k32w1024', 1, 0),
        time('a', 'filter gradient', 'm64n32r8k32w1024', 3, 0),
        time('s', 'filter gradient', 'm64n32r8k32w1024', 2.5, 0),
      ],
    };
    expect(figuresOf(plan).map((f) => [f.metric.split('px, ')[1], f.value])).toEqual([
      ['our tiling m32n32r4k32w1024', 5],
      ['our tiling m64n32r8k32w1024', 5.5],
      ['each filter shape with its fastest tiling (plan m32n32r4k32w1024,3x3x32x32=m64n32r8k32w1024)', 4],
    ]);
    // Where the plan is the one fastest tiling, no figure repeats it.
    expect(figuresOf(conv).some((f) => f.metric.includes('plan'))).toBe(false);
  });
  it.each([
    [{ date: 'd', machine: 'm', results: [] }, 'no "kind"'],
    [{ ...training, command: undefined }, '"command" is missing'],
    [{ ...training, results: undefined }, 'results are missing'],
    [{ ...training, kind: 'other' }, 'unknown kind "other"'],
    [null, 'no "kind"'],
  ])('refuses what is not a benchmark output (%#)', (json, why) => {
    expect(() => figuresOf(json)).toThrow(why);
  });
});

describe('npm run bench:record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-record-'));
  const write = (name: string, data: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
    return file;
  };
  const results = write('results.json', { note: 'test', runs: [] });
  const record = (...args: string[]) =>
    execFileSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/bench-record.ts', ...args, '--results', results], {
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it('records nothing when any file is not a benchmark output, and says which', () => {
    let message = '';
    try {
      record(write('good.json', training), write('bad.json', '{ "date": '));
    } catch (e) {
      message = String((e as { stderr: string }).stderr);
    }
    expect(message).toMatch(/bad\.json: .*nothing was recorded/);
    expect(JSON.parse(readFileSync(results, 'utf8')).runs).toEqual([]);
  });
  it('records the figures of every file given', () => {
    const printed = record(write('t.json', training), write('h.json', hostOnly), write('c.json', conv));
    expect(JSON.parse(readFileSync(results, 'utf8')).runs).toHaveLength(2 + 1 + 3);
    // Then the speed targets, which need a stock run beside ours.
    expect(printed).toContain('targets: no stock and ours training runs');
    const stock = {
      ...training,
      command: 'npm run bench -- --kernels stock',
      results: [{ ...training.results[0]!, kernels: 'stock', imagesPerS: 100, inferenceImagesPerS: 9000 }],
    };
    const checked = record(write('t.json', training), write('s.json', stock));
    expect(checked).toContain('met      training at least 10x stock: 12.35x (1234.6 against 100.0 images/s)');
    expect(checked).toContain('NOT MET  training at least 1,300 images/s: 1234.6 images/s');
  });
});
