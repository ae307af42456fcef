// The per-layer kernel benchmark on a real WebGPU device without a GPU (SwiftShader through the `webgpu` package).
import { beforeAll, describe, expect, it } from 'vitest';
import { startSwiftShaderWebGpu } from '../../src/testing/swiftshader-device';
import { kernelSet, setKernelSet } from '../../src/lib/kernels/switches';
import { filterTilingPlan, DEFAULT_PLAN_SPEC } from '../../src/lib/kernels/webgpu/filter-tiling';
import { DEFAULT_GEMM_PLAN_SPEC, gemmTilingPlan } from '../../src/lib/kernels/webgpu/gemm-tiling';
import { convFlops } from '../../src/lib/model/conv-layers';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmConvBackpropFilter } from '../../src/lib/kernels/wasm/wasm-conv-backprop-filter';
import { registerWasmConvBackpropInput } from '../../src/lib/kernels/wasm/wasm-conv-backprop-input';
import { benchConvLayers, fastestTilings, relativeError, STOCK_ALTERNATIVES, type ConvKernelTime } from './conv-bench';
import type { ConvLayer } from '../../src/lib/model/conv-layers';

beforeAll(startSwiftShaderWebGpu);

describe('benchConvLayers', () => {
  it('measures a difference against the largest value, and calls a wrong length or NaN infinitely far', () => {
    expect(relativeError([1, -4, 2], [1, -4, 2])).toBe(0);
    expect(relativeError([1, -4.02, 2], [1, -4, 2])).toBeCloseTo(0.005, 12);
    expect(relativeError([1, 2], [1, 2, 3])).toBe(Infinity);
    expect(relativeError([NaN, 2], [1, 2])).toBe(Infinity);
  });
  it('times every kernel of every layer by the GPU clock, and leaves the kernel set, tilings and TF.js flags as they were', async () => {
    setKernelSet('stock');
    const r = await benchConvLayers({
      arch: 'resnet-tiny',
      batch: 1,
      size: 8,
      repeats: 1,
      tilings: ['m64n32r8k32w1024'],
      gemmTilings: ['m32n32r4k16'],
    });
    expect(r.clock).toBe('gpu');
    expect(r.layers).toHaveLength(12);
    const flags = STOCK_ALTERNATIVES.map((a) => tf.env().getBool(a.flag));
    const columns = [
      'forward stock',
      'forward im2col',
      'forward m32n32r4k16',
      'input gradient stock',
      'input gradient mm',
      'input gradient m32n32r4k16',
      'filter gradient stock',
      'filter gradient m64n32r8k32w1024',
    ];
    for (const l of r.layers) {
      const mine = r.times.filter((t) => t.layer === l.name);
      expect(mine.map((t) => `${t.kernel} ${t.variant}`)).toEqual(columns);
      // A tiny dispatch can read 0 ms on SwiftShader's coarse timestamps; the sums below cannot.
      for (const t of mine.filter((t) => t.ms > 0)) expect(t.tflops).toBeCloseTo(convFlops(l) / (t.ms * 1e9), 12);
      expect(mine.every((t) => t.ms >= 0)).toBe(true);
      // Every variant but stock is checked against stock's result, and agrees.
      expect(mine.map((t) => t.error === null)).toEqual([true, false, false, true, false, false, true, false]);
      for (const t of mine.filter((t) => t.error !== null))
        expect(t.error, `${l.name} ${t.variant}`).toBeLessThan(1e-5);
    }
    for (const c of columns)
      expect(r.times.filter((t) => `${t.kernel} ${t.variant}` === c).reduce((s, t) => s + t.ms, 0)).toBeGreaterThan(0);
    expect(kernelSet()).toBe('stock');
    expect(STOCK_ALTERNATIVES.map((a) => tf.env().getBool(a.flag))).toEqual(flags);
    expect(filterTilingPlan()).toBe(DEFAULT_PLAN_SPEC);
    expect([gemmTilingPlan('forward'), gemmTilingPlan('input')]).toEqual([
      DEFAULT_GEMM_PLAN_SPEC,
      DEFAULT_GEMM_PLAN_SPEC,
    ]);
    setKernelSet('ours');
    // Eight variants of 12 layers, every pipeline compiled by SwiftShader: over a minute on a busy 2-core machine.
  }, 180_000);
  it('on wasm, times our two gradient kernels as one variant each by the wall clock, checked against stock', async () => {
    registerWasmConvBackpropFilter();
    registerWasmConvBackpropInput();
    await tf.setBackend('wasm');
    try {
      const r = await benchConvLayers({ arch: 'resnet-tiny', batch: 1, size: 8, repeats: 1 });
      expect(r.clock).toBe('wall');
      for (const l of r.layers) {
        const mine = r.times.filter((t) => t.layer === l.name);
        expect(mine.map((t) => `${t.kernel} ${t.variant}`)).toEqual([
          'forward stock',
          'input gradient stock',
          'input gradient ours',
          'filter gradient stock',
          'filter gradient ours',
        ]);
        for (const t of mine.filter((t) => t.error !== null))
          expect(t.error, `${l.name} ${t.kernel}`).toBeLessThan(1e-5);
      }
    } finally {
      await tf.setBackend('webgpu');
    }
  });
});

describe('fastestTilings', () => {
  const layer = (name: string, cin: number, cout: number, k = 3): ConvLayer => ({
    name,
    x: [64, 24, 24, cin],
    k,
    cout,
    stride: 1,
    pad: k === 3 ? 1 : 0,
  });
  // Two layers with one filter shape (a, b), one with another (c), a 1x1 shortcut (s).
  const layers = [layer('a', 32, 32), layer('b', 32, 32), layer('c', 32, 64), layer('s', 32, 64, 1)];
  const times = (variant: string, ms: number[], error = 0): ConvKernelTime[] =>
    layers.map((l, i) => ({
      layer: l.name,
      kernel: 'filter gradient',
      variant,
      ms: ms[i]!,
      tflops: 1,
      error: variant === 'stock' ? null : error,
    }));

  it('finds the single fastest tiling, and a plan giving each filter shape the tiling fastest over its layers', () => {
    const r = fastestTilings({
      layers,
      times: [
        ...times('stock', [90, 90, 90, 90]),
        ...times('m32n32r4k32w1024', [5, 5, 4, 1]), // 15 in all
        // 16 in all, but faster on a and b together (6 against 10): the plan gives 3x3x32x32 this one.
        ...times('m64n64r8k16w1024', [2, 4, 9, 1]),
        // Fastest on a alone, but not on a and b together: a plan is per filter shape, not per layer.
        ...times('m32n32r4k32w4096', [1, 9, 4, 1.5]),
      ],
    });
    expect(r.perLayer).toEqual([
      { layer: 'a', spec: 'm32n32r4k32w4096', ms: 1 },
      { layer: 'b', spec: 'm64n64r8k16w1024', ms: 4 },
      { layer: 'c', spec: 'm32n32r4k32w1024', ms: 4 },
      { layer: 's', spec: 'm32n32r4k32w1024', ms: 1 },
    ]);
    expect(r.single).toEqual({ spec: 'm32n32r4k32w1024', ms: 15 });
    expect(r.plan).toEqual({ spec: 'm32n32r4k32w1024,3x3x32x32=m64n64r8k16w1024', ms: 6 + 4 + 1 });
  });
  it('never chooses a tiling that was wrong on some layer, or one not timed on every layer', () => {
    const r = fastestTilings({
      layers,
      times: [
        ...times('m32n32r4k32w1024', [5, 5, 4, 1]),
        ...times('m64n64r8k16w1024', [1, 1, 1, 1], 0.5),
        ...times('m32n32r4k32w4096', [1, 1, 1, 1]).slice(0, 3),
        // Other kernels' variants, and stock, never count.
        ...times('stock', [0.1, 0.1, 0.1, 0.1]),
        ...times('im2col', [0.1, 0.1, 0.1, 0.1]).map((t) => ({ ...t, kernel: 'forward' })),
      ],
    });
    expect(r).toMatchObject({
      single: { spec: 'm32n32r4k32w1024', ms: 15 },
      plan: { spec: 'm32n32r4k32w1024', ms: 15 },
    });
    expect(r.perLayer.map((t) => t.spec)).toEqual([
      'm32n32r4k32w1024',
      'm32n32r4k32w1024',
      'm32n32r4k32w1024',
      'm32n32r4k32w1024',
    ]);
    expect(fastestTilings({ layers, times: times('stock', [1, 1, 1, 1]) })).toEqual({
      perLayer: [],
      single: null,
      plan: null,
    });
  });
  it("finds the forward pass's fastest tilings among its own variants, never TF.js's alternatives", () => {
    const forward = (variant: string, ms: number[]) => times(variant, ms).map((t) => ({ ...t, kernel: 'forward' }));
    const all = [
      ...times('m32n32r4k32w1024', [1, 1, 1, 1]),
      ...forward('stock', [9, 9, 9, 9]),
      ...forward('im2col', [0.1, 0.1, 0.1, 0.1]),
    ];
    expect(fastestTilings({ layers, times: all }, 'forward').single).toBeNull();
    const r = fastestTilings(
      { layers, times: [...all, ...forward('m64n32r8k16v', [2, 2, 3, 1]), ...forward('m32n32r4k16', [3, 3, 2, 1])] },
      'forward',
    );
    expect(r.single).toEqual({ spec: 'm64n32r8k16v', ms: 8 });
    expect(r.plan).toEqual({ spec: 'm64n32r8k16v,3x3x32x64=m32n32r4k16', ms: 4 + 2 + 1 });
  });
});
