// Our wasm kernels against TF.js's cpu backend: the filter and input gradients on odd and even sizes, strides 1 and
// 2, 'same', 'valid' and explicit padding, 1x1 and 3x3, batch 1 and more.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../testing/leaks';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWasmConvBackpropFilter, setIm2colChoice } from './wasm/wasm-conv-backprop-filter';
import {
  conv2DBackpropInputWasm,
  registerWasmConvBackpropInput,
  xnnpackWorthIt,
} from './wasm/wasm-conv-backprop-input';
import { setKernelSet } from './switches';
import {
  backpropFilter,
  backpropInput,
  inputGradOn,
  filterGradOn,
  filterShapeOf,
  CONV_GRAD_CASES,
} from '../../testing/conv-grad-cases';

beforeAll(async () => {
  // Registered before the backend starts, as the app does, so the stock kernel's own set-up must survive.
  registerWasmConvBackpropFilter();
  registerWasmConvBackpropInput();
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('wasm Conv2DBackpropFilter', () => {
  it('is what the conv2d gradient uses on wasm (training works)', async () => {
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() =>
        tf
          .grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 5, 5, 2]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))(
            tf.ones([3, 3, 2, 1]),
          )
          .dataSync()
          .slice(),
      );
    };
    // Each tap of a 3x3 'same' filter over a 5x5 image of ones sees 16 pixels (corners), 20 (edges) or 25 (centre).
    expect(Array.from(await grad('wasm'))).toEqual([
      16, 16, 20, 20, 16, 16, 20, 20, 25, 25, 20, 20, 16, 16, 20, 20, 16, 16,
    ]);
    expect(Array.from(await grad('cpu'))).toEqual(Array.from(await grad('wasm')));
  });
  for (const c of CONV_GRAD_CASES) {
    it(`matches cpu: ${c.name}`, async () => {
      const fs = filterShapeOf(c);
      const want = await filterGradOn('cpu', c.x, fs, c.stride, c.pad);
      const got = await filterGradOn('wasm', c.x, fs, c.stride, c.pad);
      expectClose(got, want, 1e-4);
      // Each path of ours (the im2col multiply, at once and per row of taps; the transposed convolution), whichever
      // the shape would take.
      const choices = [
        { im2col: 'always' as const },
        { im2col: 'always' as const, columnsAtOnce: 1 },
        { im2col: 'windows' as const },
        { im2col: 'never' as const },
      ];
      for (const choice of choices) {
        setIm2colChoice(choice);
        try {
          expectClose(await filterGradOn('wasm', c.x, fs, c.stride, c.pad), want, 1e-4);
        } finally {
          setIm2colChoice(null);
        }
      }
    });
  }
  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const work = () =>
      tf.tidy(
        () =>
          void backpropFilter(
            tf.ones([2, 8, 8, 3]) as tf.Tensor4D,
            tf.ones([2, 4, 4, 4]) as tf.Tensor4D,
            [3, 3, 3, 4],
            2,
            'same',
          ),
      );
    expect(await leftBehind(work)).toEqual(NOTHING_LEFT);
    // The tap windows too: each is released, none disposed (its memory is the phase layout's).
    setIm2colChoice({ im2col: 'windows' });
    try {
      expect(await leftBehind(work)).toEqual(NOTHING_LEFT);
    } finally {
      setIm2colChoice(null);
    }
  });
});

describe('wasm Conv2DBackpropInput through XNNPACK Conv2D', () => {
  /** Our kernel itself, whichever the registered one would pick for this shape. */
  async function oursOn(c: (typeof CONV_GRAD_CASES)[number]) {
    const fs = filterShapeOf(c);
    const ys = tf.tidy(
      () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, c.stride, c.pad).shape,
    );
    const dy = tf.tensor4d(
      Float32Array.from({ length: ys.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 12.9898 + 2) * 0.5),
      ys as [number, number, number, number],
    );
    const f = tf.tensor4d(
      Float32Array.from({ length: fs.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 12.9898 + 3) * 0.5),
      fs,
    );
    const info = conv2DBackpropInputWasm({
      inputs: { dy, filter: f },
      attrs: { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } as never,
      backend: tf.backend(),
    });
    const out = tf.engine().makeTensorFromTensorInfo(info);
    const data = (await out.data()) as Float32Array;
    tf.dispose([dy, f, out]);
    return data;
  }
  it('is used where it is the faster, by the measured rule', () => {
    expect(xnnpackWorthIt([4, 2, 2, 256], [3, 3, 256, 256])).toBe(false);
    expect(xnnpackWorthIt([4, 4, 4, 128], [1, 1, 128, 256])).toBe(false);
    expect(xnnpackWorthIt([16, 8, 8, 128], [1, 1, 128, 256])).toBe(true);
    expect(xnnpackWorthIt([4, 16, 16, 32], [1, 1, 32, 64])).toBe(true);
    expect(xnnpackWorthIt([16, 4, 4, 256], [3, 3, 256, 256])).toBe(true);
    expect(xnnpackWorthIt([4, 16, 16, 32], [3, 3, 32, 32])).toBe(true);
  });
  for (const c of CONV_GRAD_CASES) {
    it(`matches cpu: ${c.name}`, async () => {
      const fs = filterShapeOf(c);
      const want = await inputGradOn('cpu', c.x, fs, c.stride, c.pad);
      await tf.setBackend('wasm');
      const got = await oursOn(c);
      expectClose(got, want, 1e-4);
    });
  }
  it("the opt-out runs wasm's own kernel, which agrees", async () => {
    const c = CONV_GRAD_CASES.find((k) => xnnpackWorthIt(k.x, filterShapeOf(k)))!; // a shape ours takes
    setKernelSet('stock');
    try {
      const stock = await inputGradOn('wasm', c.x, filterShapeOf(c), c.stride, c.pad);
      setKernelSet('ours');
      const ours = await inputGradOn('wasm', c.x, filterShapeOf(c), c.stride, c.pad);
      expectClose(stock, ours, 1e-4);
    } finally {
      setKernelSet('ours');
    }
  });
  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const work = () =>
      tf.tidy(
        () =>
          void backpropInput(
            tf.ones([2, 4, 4, 4]) as tf.Tensor4D,
            tf.ones([3, 3, 3, 4]) as tf.Tensor4D,
            [2, 8, 8, 3],
            2,
            'same',
          ),
      );
    expect(await leftBehind(work)).toEqual(NOTHING_LEFT);
  });
});
