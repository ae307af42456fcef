// A tensor that is a window on another tensor's memory in TF.js's wasm heap: no copy. Our filter gradient multiplies
// such windows of the input's phase layout, one per filter tap. TF.js frees a tensor's memory when it is disposed,
// and a window's memory is not its own, so a window is released with releaseView, never disposed.
import type * as tf from '@tensorflow/tfjs-core';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmViews {
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number): tf.TensorInfo;
  dataIdMap: {
    get(dataId: object): { id: number; memoryOffset: number; shape: number[] } | undefined;
    delete(dataId: object): void;
  };
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** `shape`'s worth of `t`'s float32 values from value `offset` on, as a tensor of its own (`t` must outlive it). */
export function heapView(
  backend: tf.KernelBackend,
  t: tf.TensorInfo,
  offset: number,
  shape: readonly number[],
): tf.TensorInfo {
  const heap = backend as unknown as WasmViews;
  const data = heap.dataIdMap.get(t.dataId);
  if (!data || t.dtype !== 'float32') throw new Error('heapView takes a float32 tensor on the wasm backend');
  const size = shape.reduce((p, q) => p * q, 1);
  const own = t.shape.reduce((p, q) => p * q, 1);
  if (offset < 0 || offset + size > own)
    throw new Error(`heapView: values ${offset} to ${offset + size} reach past the tensor's ${own}`);
  return heap.makeOutput([...shape], 'float32', data.memoryOffset + 4 * offset);
}

/** Forgets a heapView window without freeing the memory it looks at. */
export function releaseView(backend: tf.KernelBackend, view: tf.TensorInfo): void {
  const heap = backend as unknown as WasmViews;
  const data = heap.dataIdMap.get(view.dataId);
  if (!data) return;
  heap.wasm.tfjs.disposeData(data.id);
  heap.dataIdMap.delete(view.dataId);
}
