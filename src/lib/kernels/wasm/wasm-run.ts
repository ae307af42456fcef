// Calling TF.js wasm's own kernels from ours: any of them by name, and its Conv2D (XNNPACK) as the stride-1, NHWC
// convolution our gradients are built from.
import * as tf from '@tensorflow/tfjs-core';

export type WasmBackend = tf.KernelBackend & { disposeData(id: object): boolean };
export type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

/** Runs wasm's kernel `name`; `purpose` says what it was wanted for, should wasm lack it. */
export function runWasm(
  name: string,
  backend: WasmBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  purpose: string,
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm has no ${name} kernel to build ${purpose} from`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** x [n, h, w, cin] convolved with filter [kh, kw, cin, cout], stride 1, no dilation, padded by `pad`. */
export function conv2dStride1(
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pad: Pad,
  purpose: string,
): tf.TensorInfo {
  const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: null };
  return runWasm('Conv2D', backend, { x, filter }, attrs as unknown as tf.NamedAttrMap, purpose);
}
