// The per-layer kernel benchmark on a real WebGPU device without a GPU (SwiftShader through the `webgpu` package).
import { beforeAll, describe, expect, it } from 'vitest';
import { startSwiftShaderWebGpu } from '../gpu/swiftshader-device';
import { kernelSet, setKernelSet } from '../gpu/register';
import { filterTilingFor, DEFAULT_FILTER_TILING } from '../gpu/conv2d-backprop-filter';
import { convFlops } from '../model/conv-layers';
import { benchConvLayers } from './conv-bench';

beforeAll(startSwiftShaderWebGpu);

describe('benchConvLayers', () => {
  it('times every kernel of every layer by the GPU clock, and leaves the kernel set and tiling as they were', async () => {
    setKernelSet('stock');
    const r = await benchConvLayers({ arch: 'resnet-tiny', batch: 1, size: 8, repeats: 1, tilings: ['m64n32'] });
    expect(r.clock).toBe('gpu');
    expect(r.layers).toHaveLength(12);
    const columns = ['forward stock', 'input gradient stock', 'filter gradient stock', 'filter gradient m64n32'];
    for (const l of r.layers) {
      const mine = r.times.filter((t) => t.layer === l.name);
      expect(mine.map((t) => `${t.kernel} ${t.variant}`)).toEqual(columns);
      for (const t of mine) {
        expect(t.ms).toBeGreaterThan(0);
        expect(t.tflops).toBeCloseTo(convFlops(l) / (t.ms * 1e9), 12);
      }
    }
    expect(kernelSet()).toBe('stock');
    expect(filterTilingFor()).toBe(DEFAULT_FILTER_TILING);
    setKernelSet('ours');
  });
});
