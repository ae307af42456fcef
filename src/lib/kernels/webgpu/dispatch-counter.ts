// Counts GPU dispatches on TF.js's WebGPU backend: every program run is one dispatch, and so is each of our in-place
// shaders (TF.js's profiler counts kernel calls instead, and misses programs run directly, like ours).
import type * as tf from '@tensorflow/tfjs-core';
import { onInPlaceDispatch } from './in-place';

export interface DispatchCounter {
  readonly count: number;
  reset(): void;
  /** Puts the backend's own method back. */
  restore(): void;
}

/** Starts counting on `backend`, or returns null when it is not the WebGPU backend. */
export function countDispatches(backend: tf.KernelBackend): DispatchCounter | null {
  const gpu = backend as unknown as { runWebGPUProgram?: (...a: unknown[]) => unknown };
  const original = gpu.runWebGPUProgram;
  if (!original) return null;
  let count = 0;
  gpu.runWebGPUProgram = (...a: unknown[]) => {
    count++;
    return original.apply(gpu, a);
  };
  const unsubscribe = onInPlaceDispatch((b) => {
    if (b === backend) count++;
  });
  return {
    get count() {
      return count;
    },
    reset: () => {
      count = 0;
    },
    restore: () => {
      gpu.runWebGPUProgram = original;
      unsubscribe();
    },
  };
}
