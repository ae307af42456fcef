// Our SIMD multiply (./gemm-simd.ts) on TF.js wasm tensors: C [m, n] = A B into a new tensor, on this thread, or on
// two with our helper thread (./helper-thread.ts) where TF.js computes on more than one and the product is large.
import type * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { gemmFits, gemmHelperOn, gemmOn, gemmOnTwo } from './gemm-simd';
import type { HelperThread } from './helper-thread';
import { heapAddress, wasmMemoryOf } from './wasm-memory';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

/** Products of at least this many multiply-adds take two threads (below it, waking the helper costs more). */
const SPLIT_FROM = 1 << 21;

/**
 * The helper thread, where TF.js computes on more than one thread and it has started (the first ask starts it, and
 * it is ready some milliseconds later); null otherwise.
 */
export function readyHelper(backend: tf.KernelBackend): HelperThread | null {
  const memory = wasmMemoryOf(backend);
  if (getThreadsCount() <= 1 || !memory) return null;
  const helper = gemmHelperOn(memory);
  return helper?.ready ? helper : null;
}

/** Whether our multiply can take C [m, n] on this backend (shape and SIMD). */
export function oursFits(backend: tf.KernelBackend, m: number, n: number): boolean {
  const memory = wasmMemoryOf(backend);
  return gemmFits(m, n) && memory !== null && gemmOn(memory) !== null;
}

/**
 * C [m, n] = A B: A's element (i, k) at a.at + i a.ra + k a.ka (bytes), B the float32 tensor `b` [k, n] (rows
 * contiguous), C a new tensor of `shape` ([m, n] by default). Two threads where `helper` is given and the product is
 * large. Check oursFits first.
 */
export function multiplyOurs(
  backend: tf.KernelBackend,
  a: { at: number; ra: number; ka: number },
  b: tf.TensorInfo,
  m: number,
  k: number,
  helper: HelperThread | null,
  shape: number[] = [m, b.shape[b.shape.length - 1]!],
): tf.TensorInfo {
  const n = b.shape[b.shape.length - 1]!;
  const memory = wasmMemoryOf(backend);
  const gemm = memory && gemmOn(memory);
  if (!memory || !gemm || !gemmFits(m, n) || b.dtype !== 'float32')
    throw new Error(`our multiply cannot take [${m}, ${n}]`);
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(shape, 'float32');
  const split = helper !== null && m * n * k >= SPLIT_FROM;
  const scratch = split ? heap.makeOutput([m, n], 'float32') : null;
  heap.typedArrayFromHeap(out).fill(0);
  const g = { a: a.at, ra: a.ra, ka: a.ka, b: heapAddress(backend, b), ldb: 4 * n, c: heapAddress(backend, out) };
  const args = { ...g, ldc: 4 * n, m, n, k, kc: chunkFor(n) };
  try {
    if (scratch && helper) gemmOnTwo(memory, helper, args, heapAddress(backend, scratch));
    else gemm(args);
  } finally {
    if (scratch) heap.disposeData(scratch.dataId);
  }
  return out;
}

/** The reduction's chunk for B rows of n values: 256 KB of B, half a core's L2 on the EPYC measured. */
const chunkFor = (n: number) => Math.max(64, Math.floor(65536 / n));
