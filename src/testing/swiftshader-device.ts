// Test support: a real WebGPU device without a GPU, for the kernel tests in Vitest. The `webgpu` package (Dawn) runs
// on Chromium's SwiftShader driver; npm run test:unit sets VK_ICD_FILENAMES and LD_LIBRARY_PATH for it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { create, globals } from 'webgpu';
import { registerOwnWebGpuKernels } from '../lib/kernels/webgpu/register';

/** Starts TF.js's webgpu backend with our kernels registered (the cpu backend stays available to compare with). */
export async function startSwiftShaderWebGpu(): Promise<void> {
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  registerOwnWebGpuKernels();
  const ok = await tf.setBackend('webgpu');
  if (!ok)
    throw new Error(
      'No WebGPU adapter: run through npm run test:unit (SwiftShader needs VK_ICD_FILENAMES and LD_LIBRARY_PATH) with Chromium installed.',
    );
}
