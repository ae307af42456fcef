// Where our wasm modules (./wasm-encode.ts) find TF.js's data: its wasm backend's WebAssembly.Memory, and a tensor's
// address (bytes) in it.
import type * as tf from '@tensorflow/tfjs-core';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmMemoryInternals {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** TF.js's wasm memory: made by its threaded build's loader, exported by the module otherwise. */
export function wasmMemoryOf(backend: tf.KernelBackend): WebAssembly.Memory | null {
  const wasm = (backend as unknown as Partial<WasmMemoryInternals>).wasm;
  const m = wasm?.wasmMemory ?? wasm?.asm?.memory;
  return m instanceof WebAssembly.Memory ? m : null;
}

/** Where tensor `t` of the wasm backend starts in its memory, in bytes. */
export function heapAddress(backend: tf.KernelBackend, t: tf.TensorInfo): number {
  const data = (backend as unknown as WasmMemoryInternals).dataIdMap.get(t.dataId);
  if (!data) throw new Error('heapAddress takes a tensor of the wasm backend');
  return data.memoryOffset;
}
