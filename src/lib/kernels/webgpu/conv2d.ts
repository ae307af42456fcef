// Our WebGPU Conv2D (NHWC), for training and inference alike: an implicit GEMM tiled through workgroup memory
// (./implicit-gemm.ts), with the tiling its plan (./gemm-tiling.ts) names for the layer's filter shape. TF.js's stock
// kernels reach 0.24-1.27 TFLOP/s on ResNet-S's shapes on an H200 (issue 20).
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { gemmTilingFor } from './gemm-tiling';
import { geometryOf, runImplicitGemm, type ConvAttrs } from './implicit-gemm';

interface Attrs extends ConvAttrs {
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
}

const isOne = (d: number | [number, number] | undefined) =>
  d === undefined || (typeof d === 'number' ? d === 1 : d[0] === 1 && d[1] === 1);

/**
 * Runs our kernel, or returns null for what it does not handle, which the stock kernel then runs: NCHW, dilations
 * (ResNet-S has neither), and empty tensors.
 */
export function conv2DWebGPU(
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: Attrs,
  backend: WebGPUBackend,
): tf.TensorInfo | null {
  if (attrs.dataFormat === 'NCHW' || !isOne(attrs.dilations)) return null;
  const fs = filter.shape as [number, number, number, number];
  const g = geometryOf(x.shape, fs, attrs);
  if (g.batch * g.outHeight * g.outWidth * g.outChannels === 0 || tf.util.sizeFromShape(x.shape) === 0) return null;
  return runImplicitGemm('forward', g, x, filter, gemmTilingFor('forward', fs), backend);
}
