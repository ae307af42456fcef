// Our WebGPU Conv2D (NHWC), for training and inference alike: an implicit GEMM tiled through workgroup memory
// (./implicit-gemm.ts), with the tiling its plan (./gemm-tiling.ts) names for the layer's filter shape. TF.js's stock
// kernels reach 0.24-1.27 TFLOP/s on ResNet-S's shapes on an H200 (issue 20).
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { gemmTilingFor } from './gemm-tiling';
import { geometryOf, runImplicitGemm } from './implicit-gemm';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
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
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    fs,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (tf.util.sizeFromShape(info.outShape) === 0 || tf.util.sizeFromShape(x.shape) === 0) return null;
  return runImplicitGemm('forward', geometryOf(info), x, filter, gemmTilingFor('forward', fs), backend);
}
