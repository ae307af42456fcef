// Conv2DBackpropFilter for TF.js's wasm backend, which has none (training there fails with "Kernel
// 'Conv2DBackpropFilter' not registered for backend 'wasm'"). Composed from kernels wasm does have: the filter
// gradient is a convolution of the input (batch and channels swapped) with the output gradient dilated by the stride.
import * as tf from '@tensorflow/tfjs-core';

type Backend = tf.KernelBackend & { disposeData(id: object): boolean };

function run(name: string, backend: Backend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm has no ${name} kernel to build Conv2DBackpropFilter from`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

export function conv2DBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const backend = args.backend as Backend;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [kh, kw, cin, cout] = filterShape;
  const [, h, w] = x.shape as number[];
  const [, oh, ow] = dy.shape as number[];
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(0, kh - h! - top + sh * (oh! - 1));
  const right = Math.max(0, kw - w! - left + sw * (ow! - 1));
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    const xT = keep(run('Transpose', backend, { x }, { perm: [3, 1, 2, 0] })); // [cin, H, W, n]
    const dyT = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] })); // [oh, ow, n, cout]
    let r = keep(run('Conv2D', backend, { x: xT, filter: dyT }, { strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: null } as unknown as tf.NamedAttrMap));
    if (r.shape[1] !== kh || r.shape[2] !== kw) r = keep(run('Slice', backend, { x: r }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] }));
    return run('Transpose', backend, { x: r }, { perm: [1, 2, 0, 3] }); // [kh, kw, cin, cout]
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** Registers the kernel for wasm unless the backend already has one. */
export function registerWasmConvBackpropFilter(): void {
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc });
  }
}
