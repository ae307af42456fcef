// The typed messages between a page and the engine's worker. Commands flow in, each with a request id; its reply, and
// the progress, steps and errors it causes, flow out with the same id. REPLY pairs every command with its reply kind,
// so a caller's `request(msg)` knows what it gets back and hears only its own messages.
import type { BackendName } from '../engine/backend-names';
import type { Skipped, WasmThreads } from '../engine/backend-notice';
import type { BatchRecord, EpochRecord } from '../train/recorder';
import type { LrSpec } from '../train/lr-groups';
import type { LrFindResult } from '../train/learner';
import type { TrainBenchOptions, TrainBenchResult } from '../bench/train-bench';
import type { StageMaps } from '../model/feature-maps';

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

/** A model and the data it sees: building one discards the previous model. */
export interface ModelRequest {
  arch: string;
  /** Side of the images the model sees. */
  size: number;
  batchSize: number;
  /** At most this many training images (a quick run); validation gets a quarter as many (../train/quick-run.ts). */
  maxTrain?: number;
  seed: number;
  /** URL of a weights file whose body (every layer but the head) replaces the random one: transfer learning. */
  pretrained?: string;
}

export interface TrainRequest {
  /** The page's run this belongs to: a stop for it, sent before or during, ends this at once or after a batch. */
  run?: number;
  method: 'fit' | 'fit_one_cycle' | 'fine_tune';
  epochs: number;
  lr: LrSpec;
  /** fine_tune only: epochs trained frozen first, and how much lower the first group's rate is than the head's. */
  freezeEpochs?: number;
  lrMult?: number;
}

export interface LrFindRequest {
  run?: number;
  startLr: number;
  endLr: number;
  numIt: number;
}

/** Every message a page may send (stop has no reply and is handled at once). */
export type ToWorker =
  | { kind: 'init'; backend?: BackendName; kernels?: 'ours' | 'stock'; threads?: number }
  | { kind: 'load-pack'; url: string }
  | ({ kind: 'show-batch' } & BatchRequest)
  | ({ kind: 'new-model' } & ModelRequest)
  | ({ kind: 'train' } & TrainRequest)
  | ({ kind: 'lr-find' } & LrFindRequest)
  /** The training-step benchmark on synthetic data, with its own model (the current one is left alone). */
  | ({
      kind: 'bench-train';
      run?: number;
      /**
       * Pause the run after each timed step until it is resumed (sendPause), with a bench-paused event: npm run bench
       * times a PyTorch step there, so the two engines' steps alternate under the same load.
       */
      pauseAfterSteps?: boolean;
    } & Omit<TrainBenchOptions, 'afterStep'>)
  /**
   * Handled at once, even while training: the run's command in progress stops after its current batch, and its
   * commands still to come end at once (without `run`: whatever trains now).
   */
  | { kind: 'stop'; run?: number }
  /**
   * Handled at once: the run's training waits before its next batch until it is resumed (or stopped). The page sends
   * it when the demo leaves the screen.
   */
  | { kind: 'pause'; run: number }
  | { kind: 'resume'; run: number }
  /** One presized image of the pack, whole, by file name. */
  | { kind: 'get-item'; name: string }
  /** The current model's activations for one pack image (building or restoring a model if there is none). */
  | { kind: 'predict-item'; name: string }
  /** Whether this page has trained a model, and whether one is saved in this browser. */
  | { kind: 'model-status' }
  /** The current model over the whole validation set (ClassificationInterpretation), with pictures of the `top` worst items. */
  | { kind: 'interpret'; top: number; run?: number }
  | { kind: 'save-model'; key: string }
  | { kind: 'load-model'; key: string }
  | { kind: 'export-model' }
  /**
   * One image through a ResNet-S with the pretrained body (and its own Imagenette head) or a random one: the strongest
   * `top` channels after the stem and each stage. The image is a pack image by name, or the reader's own (RGBA).
   */
  | {
      kind: 'feature-maps';
      body: 'pretrained' | 'random';
      weightsUrl: string;
      size: number;
      top: number;
      name?: string;
      image?: { width: number; height: number; pixels: Uint8ClampedArray };
    }
  | { kind: 'import-model'; bytes: Uint8Array }
  /** Deletes the model saved under `key` in this browser (offered when it cannot be read). */
  | { kind: 'forget-model'; key: string };

/** What the worker says, without the request id it carries (see FromWorker). */
export type WorkerMessage =
  | { kind: 'ready'; backend: BackendName; skipped: Skipped[]; forced?: BackendName; wasm?: WasmThreads }
  | {
      kind: 'progress';
      task: 'download' | 'decode' | 'predict';
      done: number;
      total: number;
      unit: 'bytes' | 'images';
      secondsLeft: number | null;
    }
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
  | { kind: 'item'; name: string; label: string; width: number; height: number; pixels: Uint8ClampedArray }
  | { kind: 'prediction'; name: string; target: number; classes: string[]; logits: number[]; modelSource: string }
  | { kind: 'model-status'; trainedHere: boolean; saved: boolean }
  | {
      kind: 'interpretation';
      classes: string[];
      /** Validation items' file names; targets, probs (rows of classes.length) and losses are in this order. */
      names: string[];
      targets: Int32Array;
      probs: Float32Array;
      losses: Float32Array;
      modelSource: string;
      seconds: number;
      /** Pictures (thumbSize px, RGBA) of the items with the highest loss, highest first; item indexes into names. */
      thumbs: { item: number; pixels: Uint8ClampedArray }[];
      thumbSize: number;
    }
  | {
      kind: 'model';
      arch: string;
      params: number;
      trainBatches: number;
      classes: number;
      source: string;
      /** The batch size used (a quick run's may be smaller than asked: batchNote says why, else ''). */
      batchSize: number;
      batchNote: string;
      trainItems: number;
      validItems: number;
      validTotal: number;
      /**
       * One training batch's seconds before any is timed: measured in an earlier run in this browser (same backend,
       * model, size and batch), else a first guess (../train/batch-cost.ts); null without either.
       */
      batchSeconds: { seconds: number; basis: 'earlier' | 'guess' } | null;
    }
  | { kind: 'phase'; name: string; epochs: number; stepsPerEpoch: number }
  | { kind: 'step'; record: BatchRecord; stepInEpoch: number; stepsInEpoch: number; secondsLeft: number | null }
  | { kind: 'epoch'; record: EpochRecord }
  | { kind: 'trained'; outcome: 'done' | 'requested' | 'diverged'; epochs: EpochRecord[]; seconds: number }
  | { kind: 'lr-found'; result: LrFindResult }
  | { kind: 'bench-progress'; what: string }
  /** A bench-train with pauseAfterSteps has timed a step and waits to be resumed. */
  | { kind: 'bench-paused' }
  | { kind: 'bench-trained'; results: TrainBenchResult[] }
  | { kind: 'model-saved'; key: string; bytes: number }
  | { kind: 'model-loaded'; key: string; found: boolean }
  | { kind: 'model-file'; bytes: Uint8Array }
  | { kind: 'model-forgotten'; key: string }
  | {
      kind: 'feature-maps';
      body: 'pretrained' | 'random';
      size: number;
      /** What the model saw: size x size RGBA. */
      input: Uint8ClampedArray;
      stages: StageMaps[];
      /** The five likeliest of the model's own classes, likeliest first. */
      top: { label: string; p: number }[];
      seconds: number;
    }
  /** A command of a stopped run ended before finishing (interpret, bench-train); train and lr-find say it in their outcome. */
  | { kind: 'stopped'; task: ToWorker['kind'] }
  /** `savedKey`: the failure is the saved model under that key, which the page may offer to forget. */
  | { kind: 'error'; task: ToWorker['kind']; message: string; savedKey?: string };

/** The messages handled at once, without a reply. */
export type Control = Extract<ToWorker, { kind: 'stop' | 'pause' | 'resume' }>;
/** A command that gets a reply: every message but the controls. */
export type Command = Exclude<ToWorker, Control>;
export type CommandKind = Command['kind'];
export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

/** The reply kind of every command: one map, checked complete by the compiler. */
export const REPLY = {
  init: 'ready',
  'load-pack': 'pack',
  'show-batch': 'batch',
  'new-model': 'model',
  train: 'trained',
  'lr-find': 'lr-found',
  'bench-train': 'bench-trained',
  'get-item': 'item',
  'predict-item': 'prediction',
  'model-status': 'model-status',
  interpret: 'interpretation',
  'save-model': 'model-saved',
  'load-model': 'model-loaded',
  'export-model': 'model-file',
  'feature-maps': 'feature-maps',
  'import-model': 'model-loaded',
  'forget-model': 'model-forgotten',
} as const satisfies Record<CommandKind, WorkerMessage['kind']>;

export type ReplyTo<K extends CommandKind> = Extract<WorkerMessage, { kind: (typeof REPLY)[K] }>;
/** What a command causes on the way to its reply: progress, phases, steps and epochs of a training. */
export type RunEvent = Extract<
  WorkerMessage,
  { kind: 'progress' | 'phase' | 'step' | 'epoch' | 'bench-progress' | 'bench-paused' }
>;

/** One kind of worker message, by its kind. */
export type MessageOf<K extends WorkerMessage['kind']> = Extract<WorkerMessage, { kind: K }>;

/** A command as posted: with the id its messages come back under. */
export type Envelope = Command & { id: number };
/** A message from the worker, with the id of the request it answers or was caused by. */
export type FromWorker = WorkerMessage & { id: number };

/** Seconds left at the current average rate, or null before there is a rate. */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  return Math.max(0, ((total - done) / done) * (elapsedMs / 1000));
}
