// Our WebGPU Conv2DBackpropFilter against TF.js's cpu backend, on a real WebGPU device without a GPU: the `webgpu`
// package (Dawn) on Chromium's SwiftShader driver (npm run test:unit sets VK_ICD_FILENAMES and LD_LIBRARY_PATH).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '../../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../../testing/leaks';
import { setKernelSet } from '../switches';
import { DEFAULT_PLAN_SPEC, FILTER_TILINGS, filterTilingPlan, setFilterTiling } from './filter-tiling';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { backpropFilter, filterGradOn, filterShapeOf, CONV_GRAD_CASES } from '../../../testing/conv-grad-cases';

beforeAll(startSwiftShaderWebGpu);

/** Tilings outside the presets, so a benchmark's sweep can trust any that parses: narrow and wide blocks, one
 * position staged per thread, prefetching with several rows per thread, one workgroup per block, 4-channel loads. */
const UNUSUAL_TILINGS = [
  'm16n16r4k4w64',
  'm128n32r8k16w256p',
  'm32n64r8k8w1',
  'm32n64r4k32w1024p',
  'm32n32r8k16w256vp',
  'm16n16r4k8w1v',
];

/**
 * The tilings each case runs. The wide case (several output tiles each way, several row blocks per split: where
 * tilings differ most) runs every one; the others run the default plan and a share of the rest in turn, so that every
 * tiling also meets three cases of other shape classes (odd and even sizes, strides 1 and 2, 1x1 and 3x3). Every
 * tiling on every case compiles 180 pipelines, over a minute of CI on SwiftShader.
 */
const ALL_TILINGS = [...FILTER_TILINGS, ...UNUSUAL_TILINGS];
const WIDE = CONV_GRAD_CASES.findIndex((c) => c.name.includes('wide'));
/** Six a case: with fewer, the wrap-around leaves some tilings without a 1x1 case (the test below checks). */
const PER_CASE = 6;
const tilingsFor = (caseIndex: number): string[] => {
  if (caseIndex === WIDE) return ALL_TILINGS;
  const k = caseIndex < WIDE ? caseIndex : caseIndex - 1;
  return [
    DEFAULT_PLAN_SPEC,
    ...Array.from({ length: PER_CASE }, (_, j) => ALL_TILINGS[(k * PER_CASE + j) % ALL_TILINGS.length]!),
  ];
};

describe('our WebGPU Conv2DBackpropFilter', () => {
  it('the spread gives every tiling the wide case and three others, a stride-2 and a 1x1 among them', () => {
    expect(WIDE).toBeGreaterThanOrEqual(0);
    const casesOf = (t: string) => CONV_GRAD_CASES.filter((_, i) => tilingsFor(i).includes(t));
    for (const t of ALL_TILINGS) {
      expect(casesOf(t).length, t).toBeGreaterThanOrEqual(4);
      expect(casesOf(t), t).toContain(CONV_GRAD_CASES[WIDE]);
      expect(
        casesOf(t).some((c) => c.stride === 2),
        t,
      ).toBe(true);
      expect(
        casesOf(t).some((c) => c.k === 1),
        t,
      ).toBe(true);
    }
  });
  CONV_GRAD_CASES.forEach((c, i) => {
    it(`matches the cpu backend to 1e-4 with the default plan and its tilings: ${c.name}`, async () => {
      const fs = filterShapeOf(c);
      setKernelSet('ours');
      const want = await filterGradOn('cpu', c.x, fs, c.stride, c.pad);
      try {
        for (const name of tilingsFor(i)) {
          setFilterTiling(name);
          expectClose(await filterGradOn('webgpu', c.x, fs, c.stride, c.pad), want, 1e-4, name);
        }
      } finally {
        setFilterTiling(null);
      }
    });
  });
  it('a forced tiling holds until it is cleared', () => {
    expect(filterTilingPlan()).toBe(DEFAULT_PLAN_SPEC);
    const other = FILTER_TILINGS.find((t) => t !== DEFAULT_PLAN_SPEC)!;
    setFilterTiling(other);
    expect(filterTilingPlan()).toBe(other);
    setFilterTiling(null);
    expect(filterTilingPlan()).toBe(DEFAULT_PLAN_SPEC);
  });
  it('runs each layer with the tiling its plan names for that filter shape', async () => {
    await tf.setBackend('webgpu');
    setKernelSet('ours');
    // The shader of every dispatch, from the hook TF.js's WebGPU backend records each program through.
    const backend = tf.backend() as unknown as {
      recordAndSubmit(program: { shaderKey: string }, ...rest: unknown[]): void;
    };
    const keys: string[] = [];
    const record = backend.recordAndSubmit;
    backend.recordAndSubmit = function (program, ...rest) {
      keys.push(program.shaderKey);
      record.call(this, program, ...rest);
    };
    try {
      setFilterTiling('3x3x8x8=m64n32r8k32w1024,m32n32r4k32w4096p');
      for (const fs of [
        [3, 3, 8, 8],
        [1, 1, 8, 8],
        [3, 3, 8, 4],
      ] as [number, number, number, number][]) {
        await filterGradOn('webgpu', [2, 6, 6, 8], fs, 1, 'same');
      }
    } finally {
      delete (backend as Partial<typeof backend>).recordAndSubmit;
      setFilterTiling(null);
    }
    expect(backend.recordAndSubmit).toBe(record);
    const tilings = keys.filter((k) => k.startsWith('ownConv2DBackpropFilterTiled_')).map((k) => k.split('_')[1]);
    expect(tilings).toEqual(['m64n32r8k32w1024', 'm32n32r4k32w4096p', 'm32n32r4k32w4096p']);
  });
  it('the opt-out runs the stock kernel, which agrees', async () => {
    const fs: [number, number, number, number] = [3, 3, 3, 4];
    setKernelSet('stock');
    const stock = await filterGradOn('webgpu', [2, 8, 8, 3], fs, 2, 'same');
    setKernelSet('ours');
    const ours = await filterGradOn('webgpu', [2, 8, 8, 3], fs, 2, 'same');
    expectClose(stock, ours, 1e-4);
  });
  it('leaves no tensors or buffers behind', async () => {
    await tf.setBackend('webgpu');
    const work = () =>
      tf.tidy(
        () =>
          void backpropFilter(
            tf.ones([4, 12, 12, 8]) as tf.Tensor4D,
            tf.ones([4, 12, 12, 8]) as tf.Tensor4D,
            [3, 3, 8, 8],
            1,
            'same',
          ),
      );
    expect(await leftBehind(work)).toEqual(NOTHING_LEFT);
  });
});
