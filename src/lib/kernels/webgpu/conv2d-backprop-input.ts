// Our WebGPU Conv2DBackpropInput (NHWC): the input gradient as an implicit GEMM tiled through workgroup memory
// (./implicit-gemm.ts), reading the output gradient and the filter where they lie (no transposed filter, no
// zero-stuffed gradient written out), with the tiling its plan (./gemm-tiling.ts) names for the layer's filter shape.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { gemmTilingFor } from './gemm-tiling';
import { geometryOf, runImplicitGemm, type ConvAttrs } from './implicit-gemm';

interface Attrs extends ConvAttrs {
  dataFormat: 'NHWC' | 'NCHW';
  inputShape: [number, number, number, number];
}

/** Runs our kernel, or returns null for what it does not handle (NCHW, empty tensors): the stock kernel runs those. */
export function conv2DBackpropInputWebGPU(
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: Attrs,
  backend: WebGPUBackend,
): tf.TensorInfo | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const fs = filter.shape as [number, number, number, number];
  if (tf.util.sizeFromShape(attrs.inputShape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) return null;
  return runImplicitGemm(
    'input',
    geometryOf(attrs.inputShape, fs, attrs),
    dy,
    filter,
    gemmTilingFor('input', fs),
    backend,
  );
}
