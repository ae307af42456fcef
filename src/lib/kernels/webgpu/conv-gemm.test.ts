// Our WebGPU Conv2D and Conv2DBackpropInput (one implicit-GEMM shader, ./implicit-gemm.ts) against TF.js's cpu
// backend, on SwiftShader. Few, tiny cases (CI time): stride 1 and 2, 1x1 and 3x3, odd sizes, batch 1 and more,
// channels in fours (4-channel loads) and not; every tiling family on the smallest case with several blocks each way.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '../../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../../testing/leaks';
import { setKernelSet } from '../switches';
import { GEMM_TILINGS, DEFAULT_GEMM_PLAN_SPEC, gemmTilingPlan, setGemmTiling, type GemmKernel } from './gemm-tiling';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { forwardOn, inputGradOn, type ConvGradCase } from '../../../testing/conv-grad-cases';

beforeAll(startSwiftShaderWebGpu);

const same = 'same' as const;
// Pipelines compile slowly on SwiftShader (seconds each), and a pipeline is shared by cases whose shapes differ only
// in size: these cases take three (3x3 and 1x1 with single-channel loads, 3x3 with 4-channel loads).
const CASES: ConvGradCase[] = [
  { name: '3x3 stride 1 same, odd size, batch 1, 3 channels in', x: [1, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: same },
  {
    name: '3x3 stride 2 same, even size, batch 3, 5 channels out',
    x: [3, 8, 8, 2],
    k: 3,
    cout: 5,
    stride: 2,
    pad: same,
  },
  {
    name: '3x3 stride 2 pad 1 (ResNet-S), odd size, channels in fours',
    x: [3, 9, 7, 8],
    k: 3,
    cout: 12,
    stride: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '1x1 stride 2 valid, odd size (last row and column unused)',
    x: [2, 7, 5, 3],
    k: 1,
    cout: 4,
    stride: 2,
    pad: 'valid',
  },
];
/**
 * Several blocks of positions and of channels, and several steps of terms, for every tiling: channels in fours for
 * tilings with 4-channel loads, not for the others.
 */
const WIDE: ConvGradCase = {
  name: '3x3 stride 1 same, 36 channels out',
  x: [2, 9, 7, 40],
  k: 3,
  cout: 36,
  stride: 1,
  pad: same,
};
const NARROW: ConvGradCase = { ...WIDE, name: '3x3 stride 1 same, 6 channels in, 37 out', x: [2, 9, 7, 6], cout: 37 };
/** Tilings outside the presets: the smallest blocks with one term a step, prefetching with single-channel loads. */
const UNUSUAL = ['m16n16r4k1', 'm32n16r8k8p'];

const runOn = (kernel: GemmKernel, backend: string, c: ConvGradCase) =>
  (kernel === 'forward' ? forwardOn : inputGradOn)(backend, c.x, [c.k, c.k, c.x[3], c.cout], c.stride, c.pad);

for (const [kernel, title] of [
  ['forward', 'Conv2D'],
  ['input', 'Conv2DBackpropInput'],
] as const) {
  describe(`our WebGPU ${title}`, () => {
    for (const c of CASES) {
      it(`matches the cpu backend to 1e-4: ${c.name}`, async () => {
        setKernelSet('ours');
        expectClose(await runOn(kernel, 'webgpu', c), await runOn(kernel, 'cpu', c), 1e-4);
      });
    }
    it('matches the cpu backend with every tiling, several blocks each way', async () => {
      setKernelSet('ours');
      const want = { v: await runOn(kernel, 'cpu', WIDE), '': await runOn(kernel, 'cpu', NARROW) };
      try {
        for (const spec of [...GEMM_TILINGS, ...UNUSUAL]) {
          setGemmTiling(kernel, spec);
          const vec4 = spec.includes('v');
          expectClose(await runOn(kernel, 'webgpu', vec4 ? WIDE : NARROW), want[vec4 ? 'v' : ''], 1e-4, spec);
        }
      } finally {
        setGemmTiling(kernel, null);
      }
      expect(gemmTilingPlan(kernel)).toBe(DEFAULT_GEMM_PLAN_SPEC);
    }, 120_000);
    it('the opt-out runs the stock kernel, which agrees', async () => {
      const c = CASES[2]!;
      setKernelSet('stock');
      const stock = await runOn(kernel, 'webgpu', c);
      setKernelSet('ours');
      expectClose(await runOn(kernel, 'webgpu', c), stock, 1e-4);
    });
  });
}

describe('our WebGPU convolutions', () => {
  it('leave no tensors or buffers behind', async () => {
    await tf.setBackend('webgpu');
    const work = () =>
      tf.tidy(() => {
        const x = tf.ones([2, 6, 6, 8]) as tf.Tensor4D;
        const w = tf.ones([3, 3, 8, 4]) as tf.Tensor4D;
        void tf.grad((input) => tf.conv2d(input as tf.Tensor4D, w, 1, 'same'))(x);
      });
    expect(await leftBehind(work)).toEqual(NOTHING_LEFT);
  });
});
