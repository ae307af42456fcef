// Our own WGSL compute shaders that update several tensors in place, recorded into TF.js's WebGPU command stream
// between its own programs. A TF.js program writes exactly one new tensor, so Adam needs three dispatches and three
// new buffers per parameter (gradient average, squared-gradient average, parameter); updating all three in place
// takes one. The same way, one dispatch can fill several new tensors (emptyTensor), as BatchNorm's two parameter
// gradients. Only tensors that are the sole owner of their buffer are updated in place (a clone, such as the lr_find
// snapshot, shares the buffer and must not change); callers fall back to TF.js programs otherwise.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Uniform } from './flat-program';

/** The parts of TF.js's WebGPU backend (4.x) this uses; not in its public types. */
interface BackendInternals {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { resource: unknown; values: unknown; refCount: number } | undefined };
  uploadToGPU(dataId: object): void;
  makeUniforms(uniforms: Uniform[]): { buffer: GPUBuffer; offset: number; size: number };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  commandEncoder: GPUCommandEncoder;
  computePassEncoder: GPUComputePassEncoder | null;
  dispatchCountInPass: number;
  commandQueueOwnedIds: WeakSet<object>;
  /** Set while a profile runs (tf.profile, or profileDispatches): each dispatch then gets its own timed pass. */
  activeTimers: { name: string; query: Promise<number> }[] | null | undefined;
  supportTimestampQuery: boolean;
  querySet: GPUQuerySet | null;
  querySetCount: number;
  getQueryTime(): Promise<number>;
}

export interface InPlaceShader {
  /** Identifies the WGSL source in the pipeline cache. */
  key: string;
  /**
   * WGSL with `@group(0)` bindings in this order: the written tensors (read_write storage), the read ones (read
   * storage), then a uniform struct; entry point `main` with @workgroup_size(workgroupSize).
   */
  code: string;
  /** Threads per workgroup, as the WGSL declares it; 64 unless said. */
  workgroupSize?: number;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();
const listeners = new Set<(backend: object) => void>();

/** Calls `fn` on every in-place dispatch (the dispatch counter uses it). Returns the unsubscribe function. */
export function onInPlaceDispatch(fn: (backend: object) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A new tensor whose GPU buffer an in-place shader will fill (its contents are undefined until then). */
export function emptyTensor(backend: WebGPUBackend, shape: number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backend.makeTensorInfo(shape, 'float32'));
}

/**
 * Whether `t` alone holds its buffer, so writing it in place changes nothing else. Every tensor sharing the data
 * (a clone, a reshape, a variable and the tensor it was made from) counts in the backend's reference count.
 */
export function ownsBuffer(backend: WebGPUBackend, t: tf.Tensor): boolean {
  return (backend as unknown as BackendInternals).tensorMap.get(t.dataId)?.refCount === 1;
}

function pipelineFor(device: GPUDevice, shader: InPlaceShader): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  let pipeline = cache.get(shader.key);
  if (!pipeline) {
    pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code: shader.code }), entryPoint: 'main' },
    });
    cache.set(shader.key, pipeline);
  }
  return pipeline;
}

/**
 * Records one dispatch of `shader` with `threads` threads in all (whole workgroups of its size). `written` must
 * each own their buffer (see ownsBuffer) and be distinct; every binding the shader declares must be used by it, or
 * the layout drops it.
 */
export function runInPlace(
  backend: WebGPUBackend,
  shader: InPlaceShader,
  written: tf.Tensor[],
  read: tf.Tensor[],
  uniforms: Uniform[],
  threads: number,
): void {
  const b = backend as unknown as BackendInternals;
  const tensors = [...written, ...read];
  for (const t of tensors) b.uploadToGPU(t.dataId);
  const pipeline = pipelineFor(b.device, shader);
  const entries: { binding: number; resource: { buffer: GPUBuffer; offset?: number; size?: number } }[] = tensors.map(
    (t, i) => ({ binding: i, resource: { buffer: b.tensorMap.get(t.dataId)!.resource as GPUBuffer } }),
  );
  entries.push({ binding: tensors.length, resource: b.makeUniforms(uniforms) });
  const bindGroup = b.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  // Buffers used by recorded but unsubmitted work are not recycled until the submit.
  for (const t of tensors) b.commandQueueOwnedIds.add(t.dataId);
  b.ensureCommandEncoderReady();
  // While a profile runs, the dispatch gets a pass of its own with timestamps, as TF.js does for its programs.
  const timed = b.activeTimers != null && b.supportTimestampQuery; // undefined until a first profile
  if (timed) {
    b.endComputePassEncoder();
    b.querySet ??= b.device.createQuerySet({ type: 'timestamp', count: b.querySetCount });
    b.computePassEncoder = b.commandEncoder.beginComputePass({
      timestampWrites: { querySet: b.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    });
  } else if (!b.computePassEncoder) {
    b.computePassEncoder = b.commandEncoder.beginComputePass({});
  }
  b.computePassEncoder.setPipeline(pipeline);
  b.computePassEncoder.setBindGroup(0, bindGroup);
  b.computePassEncoder.dispatchWorkgroups(Math.ceil(threads / (shader.workgroupSize ?? 64)));
  b.dispatchCountInPass++;
  // The values a read cached on the CPU are stale now.
  for (const t of written) b.tensorMap.get(t.dataId)!.values = null;
  if (timed) {
    b.endComputePassEncoder();
    b.activeTimers!.push({ name: shader.key, query: b.getQueryTime() });
  } else if ((tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= b.dispatchCountInPass) {
    b.endComputePassEncoder();
    b.submitQueue();
  }
  for (const fn of listeners) fn(backend);
}
