// A corrected Transform kernel for TF.js's cpu backend. The stock one (tfjs-backend-cpu 4.22) returns from inside
// its batch loop, so every image after the first comes back filled with the fill value. This one resamples every
// image, with the same coordinate rules (TF's image_ops) for all fill modes and both interpolations.
import * as tf from '@tensorflow/tfjs-core';

type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';
type TypedArray = Float32Array | Int32Array | Uint8Array;

const clamp = (x: number, len: number) => Math.min(len - 1, Math.max(0, x));

function mapCoord(x: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return x;
  if (mode === 'nearest') return clamp(x, len);
  if (len <= 1) return 0;
  if (mode === 'reflect') {
    const sz2 = 2 * len;
    if (x < 0) {
      if (x < sz2) x = sz2 * Math.trunc(-x / sz2) + x;
      x = x < -len ? x + sz2 : -x - 1;
    } else if (x > len - 1) {
      x -= sz2 * Math.trunc(x / sz2);
      if (x >= len) x = sz2 - x - 1;
    }
    return clamp(x, len);
  }
  // wrap
  const sz = len - 1;
  if (x < 0) x += len * (Math.trunc(-x / sz) + 1);
  else if (x > len - 1) x -= len * Math.trunc(x / sz);
  return clamp(x, len);
}

interface TransformAttrs {
  interpolation: 'nearest' | 'bilinear';
  fillMode: FillMode;
  fillValue: number;
  outputShape: [number, number] | null;
}

export function transformKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}): tf.TensorInfo {
  const { image, transforms } = args.inputs as { image: tf.TensorInfo; transforms: tf.TensorInfo };
  const { interpolation, fillMode, fillValue, outputShape } = args.attrs as unknown as TransformAttrs;
  const backend = args.backend as tf.KernelBackend & {
    data: { get(id: object): { values: TypedArray } };
    makeTensorInfo(shape: number[], dtype: tf.DataType, values: TypedArray): tf.TensorInfo;
  };
  const [batch, h, w, c] = image.shape as [number, number, number, number];
  const [oh, ow] = outputShape ?? [h, w];
  const src = backend.data.get(image.dataId).values;
  const m = backend.data.get(transforms.dataId).values;
  const out = new Float32Array(batch * oh * ow * c).fill(fillValue);
  const read = (b: number, y: number, x: number, ch: number) =>
    y >= 0 && y < h && x >= 0 && x < w ? src[((b * h + y) * w + x) * c + ch]! : fillValue;
  for (let b = 0; b < batch; b++) {
    const t = transforms.shape[0] === 1 ? 0 : b * 8;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const k = m[t + 6]! * ox + m[t + 7]! * oy + 1;
        if (k === 0) continue;
        const x = mapCoord((m[t]! * ox + m[t + 1]! * oy + m[t + 2]!) / k, w, fillMode);
        const y = mapCoord((m[t + 3]! * ox + m[t + 4]! * oy + m[t + 5]!) / k, h, fillMode);
        const at = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          if (interpolation === 'nearest') {
            out[at + ch] = read(b, Math.round(y), Math.round(x), ch);
          } else {
            const x0 = Math.floor(x),
              y0 = Math.floor(y);
            const fx = x - x0,
              fy = y - y0;
            const top = (1 - fx) * read(b, y0, x0, ch) + fx * read(b, y0, x0 + 1, ch);
            const bottom = (1 - fx) * read(b, y0 + 1, x0, ch) + fx * read(b, y0 + 1, x0 + 1, ch);
            out[at + ch] = (1 - fy) * top + fy * bottom;
          }
        }
      }
    }
  }
  return backend.makeTensorInfo([batch, oh, ow, c], 'float32', out);
}

/** Replaces the cpu backend's Transform kernel with the corrected one (idempotent). */
export function registerCpuTransform(): void {
  const existing = tf.getKernel('Transform', 'cpu');
  if (existing?.kernelFunc === (transformKernel as unknown as tf.KernelFunc)) return;
  if (existing) tf.unregisterKernel('Transform', 'cpu');
  tf.registerKernel({
    kernelName: 'Transform',
    backendName: 'cpu',
    kernelFunc: transformKernel as unknown as tf.KernelFunc,
  });
}
