// Our wasm Conv2D (im2col times the filter, for new filters on small outputs) against TF.js's cpu backend, and the
// rule that sends a convolution to it or to XNNPACK's.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose } from '../../../testing/close';
import { leftBehind, NOTHING_LEFT } from '../../../testing/leaks';
import { setKernelSet } from '../switches';
import { conv2dByIm2col, OURS_FROM_FILTER_VALUES, registerWasmConv2D, setConv2dChoice, takesOurs } from './wasm-conv2d';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

beforeAll(async () => {
  registerWasmConv2D();
  await tf.setBackend('wasm');
  await tf.ready();
});

const values = (shape: number[], seed: number) =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + seed)),
    shape,
  );

const infoOf = (x: number[], f: number[], stride: number, pad: Pad) =>
  tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number],
    f as [number, number, number, number],
    stride,
    1,
    pad,
    undefined,
    false,
    'channelsLast',
  );

async function onCpu(x: number[], f: number[], stride: number, pad: Pad): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const out = tf.tidy(() => tf.conv2d(values(x, 1) as tf.Tensor4D, values(f, 2) as tf.Tensor4D, stride, pad));
  const data = (await out.data()) as Float32Array;
  out.dispose();
  await tf.setBackend('wasm');
  return data;
}

function ours(x: number[], f: number[], stride: number, pad: Pad): Float32Array {
  return tf.tidy(() => {
    const xt = values(x, 1);
    const ft = values(f, 2);
    const info = infoOf(x, f, stride, pad);
    const out = conv2dByIm2col(tf.backend(), xt, ft, info);
    const t = tf.engine().makeTensorFromTensorInfo(out);
    expect(t.shape).toEqual([info.batchSize, info.outHeight, info.outWidth, f[3]]);
    return t.dataSync() as Float32Array;
  });
}

describe('our wasm Conv2D by im2col', () => {
  const cases: { name: string; x: number[]; f: number[]; stride: number; pad: Pad }[] = [
    { name: '3x3 stride 1 same, the last stage (4 x 4)', x: [2, 4, 4, 16], f: [3, 3, 16, 8], stride: 1, pad: 'same' },
    {
      name: '3x3 stride 2 pad 1 (ResNet-S), odd size',
      x: [4, 7, 7, 4],
      f: [3, 3, 4, 16],
      stride: 2,
      pad: [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    },
    { name: '3x3 stride 1 valid, batch 1', x: [1, 6, 6, 3], f: [3, 3, 3, 8], stride: 1, pad: 'valid' },
    { name: '3x3 stride 2 same, even size', x: [2, 8, 8, 8], f: [3, 3, 8, 24], stride: 2, pad: 'same' },
    { name: '1x1 stride 1', x: [1, 2, 2, 12], f: [1, 1, 12, 8], stride: 1, pad: 'valid' },
  ];
  for (const c of cases) {
    it(`matches cpu: ${c.name}`, async () => {
      const want = await onCpu(c.x, c.f, c.stride, c.pad);
      expectClose(ours(c.x, c.f, c.stride, c.pad), want, 1e-4);
    });
  }

  it('on one thread, leaves every convolution to XNNPACK unless told to take them', () => {
    const x = values([2, 4, 4, 128], 1);
    const f = values([3, 3, 128, 128], 2);
    const info = infoOf([2, 4, 4, 128], [3, 3, 128, 128], 1, 'same');
    expect(takesOurs(tf.backend(), x, f, info)).toBe(false);
    setConv2dChoice('always');
    try {
      expect(takesOurs(tf.backend(), x, f, info)).toBe(true);
      setConv2dChoice('never');
      expect(takesOurs(tf.backend(), x, f, info)).toBe(false);
    } finally {
      setConv2dChoice(null);
    }
    tf.dispose([x, f]);
  });

  it('takes a new large filter on a small output once; XNNPACK takes it from then on, and both match cpu', async () => {
    setConv2dChoice('always');
    try {
      const xs = [2, 4, 4, 128];
      const fs = [3, 3, 128, 128];
      expect(fs.reduce((a, b) => a * b)).toBeGreaterThanOrEqual(OURS_FROM_FILTER_VALUES);
      const want = await onCpu(xs, fs, 1, 'same');
      const x = values(xs, 1) as tf.Tensor4D;
      const f = values(fs, 2) as tf.Tensor4D;
      const info = infoOf(x.shape, f.shape, 1, 'same');
      const be = tf.backend();
      expect(takesOurs(be, x, f, info)).toBe(true);
      const first = tf.conv2d(x, f, 1, 'same');
      expectClose(await first.data(), want, 1e-4, 'ours');
      expect(takesOurs(be, x, f, info)).toBe(false);
      const second = tf.conv2d(x, f, 1, 'same');
      expectClose(await second.data(), want, 1e-4, 'XNNPACK');
      // The stock kernel set, a small filter, a large output: XNNPACK's.
      const g = values(fs, 3) as tf.Tensor4D;
      setKernelSet('stock');
      try {
        expect(takesOurs(be, x, g, info)).toBe(false);
      } finally {
        setKernelSet('ours');
      }
      expect(takesOurs(be, x, g, info)).toBe(true);
      const small = values([3, 3, 16, 16], 4);
      const smallInfo = infoOf([2, 4, 4, 16], [3, 3, 16, 16], 1, 'same');
      const smallX = values([2, 4, 4, 16], 1);
      expect(takesOurs(be, smallX, small, smallInfo)).toBe(false);
      const bigInfo = infoOf([8, 16, 16, 128], fs, 1, 'same');
      const bigX = values([8, 16, 16, 128], 1);
      expect(takesOurs(be, bigX, g, bigInfo)).toBe(false);
      tf.dispose([x, f, g, first, second, small, smallX, bigX]);
    } finally {
      setConv2dChoice(null);
    }
  });

  it('leaves no tensors behind', async () => {
    const x = values([2, 4, 4, 16], 1);
    const f = values([3, 3, 16, 8], 2);
    const info = infoOf([2, 4, 4, 16], [3, 3, 16, 8], 1, 'same');
    const work = () =>
      tf.tidy(() => void tf.engine().makeTensorFromTensorInfo(conv2dByIm2col(tf.backend(), x, f, info)));
    expect(await leftBehind(work)).toEqual(NOTHING_LEFT);
    tf.dispose([x, f]);
  });
});
