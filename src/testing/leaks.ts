// Test support: what some work leaves behind on the current backend, in live tensors and in the backend's data.
import * as tf from '@tensorflow/tfjs-core';

export const NOTHING_LEFT = { tensors: 0, dataIds: 0 };

/** How many more tensors and backend data ids there are after `f` than before it (NOTHING_LEFT when nothing leaks). */
export async function leftBehind(f: () => unknown): Promise<{ tensors: number; dataIds: number }> {
  const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  const before = { tensors: tf.memory().numTensors, dataIds: dataIds() };
  await f();
  return { tensors: tf.memory().numTensors - before.tensors, dataIds: dataIds() - before.dataIds };
}
