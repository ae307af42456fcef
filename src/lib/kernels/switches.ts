// Every switch over our own kernels, in one place. The engine (optimizer, loss, model) asks here whether a faster kernel
// is in force; register.ts sets the providers when it starts a backend that has them; tests and benchmarks flip them.
//
// - kernelSet: 'ours' (the default) or TF.js's 'stock' kernels, switchable at run time so the two can be compared in
//   one process: ?kernels=stock on a page, --kernels stock for npm run bench.
// - fusedAdam / fusedCrossEntropy / fusedBatchNorm: a backend's one-dispatch kernels, or null for TF.js ops.
// - setFilterTiling: which tiling our WebGPU filter gradient uses (benchmarks and tests; the default plan otherwise);
//   setGemmTiling likewise for our WebGPU forward convolution and input gradient.
import type * as tf from '@tensorflow/tfjs-core';
import type { AdamUpdate } from '../train/optimizer';
import type { BatchNormKernels } from '../model/resnet-s';

export { setFilterTiling, filterTilingPlan } from './webgpu/filter-tiling';
export { setGemmTiling, gemmTilingPlan } from './webgpu/gemm-tiling';

export type KernelSet = 'ours' | 'stock';

let active: KernelSet = 'ours';

export function setKernelSet(set: KernelSet): void {
  active = set;
}

export function kernelSet(): KernelSet {
  return active;
}

/** A step's Adam updates applied at once on the backend in use (our WebGPU Adam, two parameters a dispatch). */
export type FusedAdam = (updates: AdamUpdate[]) => void;
/** A one-kernel mean cross-entropy for the backend in use (our WebGPU one). */
export type FusedCrossEntropy = (logits: tf.Tensor2D, targets: tf.Tensor1D) => tf.Scalar;

type Provider<K> = (() => K | null) | null;

// Adam's and BatchNorm's providers by owner (WebGPU's and wasm's can both be registered in one process; each answers
// only while its backend is in use), asked in the order set.
const adam = new Map<string, NonNullable<Provider<FusedAdam>>>();
let crossEntropy: Provider<FusedCrossEntropy> = null;
const batchNorm = new Map<string, NonNullable<Provider<BatchNormKernels>>>();

/** Providers are asked on every call, so one that checks kernelSet() and the backend follows both at run time. */
export function setFusedAdam(provider: Provider<FusedAdam>, owner = 'default'): void {
  if (provider) adam.set(owner, provider);
  else adam.delete(owner);
}
export function setFusedCrossEntropy(provider: Provider<FusedCrossEntropy>): void {
  crossEntropy = provider;
}
export function setFusedBatchNorm(provider: Provider<BatchNormKernels>, owner = 'default'): void {
  if (provider) batchNorm.set(owner, provider);
  else batchNorm.delete(owner);
}

/** The first kernel one of `providers` answers with, or null. */
function firstOf<K>(providers: Map<string, () => K | null>): K | null {
  for (const provider of providers.values()) {
    const kernel = provider();
    if (kernel) return kernel;
  }
  return null;
}

export const fusedAdam = (): FusedAdam | null => firstOf(adam);
export const fusedCrossEntropy = (): FusedCrossEntropy | null => crossEntropy?.() ?? null;
export const fusedBatchNorm = (): BatchNormKernels | null => firstOf(batchNorm);
