// What a training batch costs in seconds before any batch of this run is timed: the figure measured earlier in this
// browser for the same backend, model, image size and batch (kept by the caller), else a first guess scaled from a
// benchmark figure of the backend by the work per image (trainingFlops) and the batch size. Backends without a
// benchmark figure get no guess.
import { archConfig } from '../model/archs';
import { trainingFlops } from '../model/config';

export interface BatchCostKey {
  backend: string;
  arch: string;
  size: number;
  batch: number;
}

/** Measured training throughput, from benchmarks/results.json (the test checks these against that file). */
export const REFERENCE_RATES: Record<string, { imagesPerS: number; arch: string; size: number; command: string }> = {
  // 2026, Intel Xeon, 2 cores (no GPU): `npm run bench -- --backend wasm --batch 16 --size 64 --steps 2`.
  wasm: {
    imagesPerS: 12.1,
    arch: 'resnet-s',
    size: 64,
    command: 'npm run bench -- --backend wasm --batch 16 --size 64 --steps 2',
  },
  // 2026, NVIDIA H200: `npm run bench -- --backend webgpu --kernels ours --batch 64 --size 96 --steps 10`.
  webgpu: {
    imagesPerS: 154.2,
    arch: 'resnet-s',
    size: 96,
    command: 'npm run bench -- --backend webgpu --kernels ours --batch 64 --size 96 --steps 10',
  },
};

/** Seconds per batch guessed from the backend's benchmark figure; null for a backend without one. */
export function guessBatchSeconds(k: BatchCostKey, classes = 37): number | null {
  const ref = REFERENCE_RATES[k.backend];
  if (!ref) return null;
  const work = trainingFlops(archConfig(k.arch, classes), k.size);
  const refWork = trainingFlops(archConfig(ref.arch, classes), ref.size);
  return (k.batch * work) / (ref.imagesPerS * refWork);
}
