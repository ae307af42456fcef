// TF.js backends in Node: cpu and wasm from their packages, WebGPU through the optional `webgpu` package (Dawn),
// as ../shared/reference/gpu-bench-recipe.md describes (on SwiftShader where there is no GPU adapter: node-webgpu.ts).
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { initBackend, type BackendName } from '../src/lib/engine/backend';
import { provideNodeWebGpu } from './node-webgpu';

export async function nodeBackend(name: BackendName): Promise<string> {
  if (name === 'webgpu') await provideNodeWebGpu();
  // In Node the wasm binaries are read from the package's own folder.
  const wasmDir =
    name === 'wasm'
      ? `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`
      : undefined;
  const choice = await initBackend(name, wasmDir);
  if (choice.name !== name)
    throw new Error(`Backend ${name} could not start: ${choice.skipped.map((s) => s.why).join('; ')}`);
  return tf.getBackend();
}

/** The WebGPU adapter of TF.js's backend in use ('vendor architecture'), or '' when it has none. */
export function backendAdapter(): string {
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return info ? [info.vendor, info.architecture].filter(Boolean).join(' ') : '';
}
