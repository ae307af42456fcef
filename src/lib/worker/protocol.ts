// The typed messages between a page and the engine's worker. Commands flow in; progress, results and errors flow out.
import type { BackendName } from '../engine/backend-names';

export interface BatchRequest {
  split: 'train' | 'valid';
  /** Images in the batch. */
  count: number;
  /** Side of the square output, in pixels. */
  size: number;
  seed: number;
  /** RandomResizedCrop's smallest area share; 1 turns the crop off. */
  minScale: number;
  /** Whether to apply flip, rotation, zoom, warp and lighting (training images only). */
  augment: boolean;
}

export type ToWorker =
  | { kind: 'init'; backend?: BackendName }
  | { kind: 'load-pack'; url: string }
  | ({ kind: 'show-batch' } & BatchRequest);

export type FromWorker =
  | { kind: 'ready'; backend: BackendName; skipped: { name: BackendName; why: string }[] }
  | { kind: 'progress'; task: 'download' | 'decode'; done: number; total: number; unit: 'bytes' | 'images'; secondsLeft: number | null }
  | { kind: 'pack'; classes: string[]; train: number; valid: number; bytes: number; cachedBytes: number }
  | {
      kind: 'batch';
      size: number;
      /** One RGBA image of size x size per item, in order. */
      pixels: Uint8ClampedArray[];
      labels: string[];
      names: string[];
      decodeMs: number;
      augmentMs: number;
    }
  | { kind: 'error'; task: ToWorker['kind']; message: string };

/** Seconds left at the current average rate, or null before there is a rate. */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  return Math.max(0, ((total - done) / done) * (elapsedMs / 1000));
}
