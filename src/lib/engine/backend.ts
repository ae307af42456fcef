// Chooses the TF.js backend: WebGPU, then WebGL, then wasm, then cpu; or the one a page forces with ?backend=.
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, type BackendName } from './backend-names';

export { BACKENDS, isBackendName, type BackendName } from './backend-names';

/** Where the wasm backend finds its binaries: a folder URL, or a URL per file name. */
export type WasmPaths = string | Record<string, string>;


async function register(name: BackendName, wasmPaths?: WasmPaths): Promise<void> {
  if (name === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
    (await import('../gpu/register')).registerOwnWebGpuKernels();
  }
  else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmPaths) wasm.setWasmPaths(wasmPaths);
    (await import('./kernels/wasm-conv-backprop-filter')).registerWasmConvBackpropFilter();
    (await import('./kernels/wasm-conv-backprop-input')).registerWasmConvBackpropInput();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
    (await import('./kernels/cpu-transform')).registerCpuTransform();
  }
}

export interface BackendChoice {
  name: BackendName;
  /** Backends tried before it and why they were passed over. */
  skipped: { name: BackendName; why: string }[];
}

/**
 * Initialises the first backend that works, in order, starting from `forced` when given (a forced backend that fails
 * falls back to the others, and says so in `skipped`).
 */
export async function initBackend(forced?: BackendName, wasmPaths?: WasmPaths): Promise<BackendChoice> {
  const order = forced ? [forced, ...BACKENDS.filter((b) => b !== forced)] : [...BACKENDS];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    if (name === 'webgpu' && (typeof navigator === 'undefined' || !('gpu' in navigator))) {
      skipped.push({ name, why: 'WebGPU is not available in this browser' });
      continue;
    }
    try {
      await register(name, wasmPaths);
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, skipped };
      }
      skipped.push({ name, why: 'initialisation failed' });
    } catch (error) {
      skipped.push({ name, why: (error as Error).message });
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`);
}
