// Identity (tf.clone, and every tensor TF.js saves for the backward pass) for TF.js's wasm backend as a shared
// reference, as TF.js's cpu and WebGL backends do it, instead of the stock wasm kernel's full copy: about 80 copies of
// activations per ResNet-S training step (31 ms of 1.9 s at batch 32, 96 px on a 2-core EPYC), three for each
// BatchNorm alone. Safe because nothing writes into a tensor's memory once made, except our Adam (./adam.ts), and it
// does so only where the memory has one owner. Strings, and the stock kernel set, go to the stock kernel.
import * as tf from '@tensorflow/tfjs-core';
import { kernelSet } from '../switches';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmRefs {
  incRef(dataId: object): void;
}

/** Puts ours in front of wasm's own Identity. */
export function registerWasmIdentity(): void {
  const original = tf.getKernel('Identity', 'wasm');
  if (!original || (original.kernelFunc as { ours?: boolean }).ours) return;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (kernelSet() !== 'ours' || x.dtype === 'string') return original.kernelFunc(args as never);
    (args.backend as unknown as WasmRefs).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as tf.KernelFunc & { ours?: boolean };
  kernelFunc.ours = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}
