// The Learner: our own training loop over ResNet-S (gradients with tf.variableGrads, our Adam per parameter group),
// with fastai's fit, fit_one_cycle, lr_find, fine_tune, freeze/unfreeze, get_preds and a recorder.
import * as tf from '@tensorflow/tfjs-core';
import { forward, learnable, updateRunningStats, type BnStats, type Param, type ResNet } from '../model/resnet-s';
import { Adam, type AdamOptions } from './optimizer';
import { Recorder, type BatchRecord, type EpochRecord } from './recorder';
import { oneCycle, schedExp, stepPos, ONE_CYCLE_DEFAULTS, type OneCycleOptions } from './schedules';
import { fineTunePhases, type FineTuneOptions } from './fine-tune-plan';
import { groupLrs, type LrSpec } from './lr-groups';
import { crossEntropyPerItem, softmax, trainingLoss } from './losses';
import { diverged, LR_FIND_DEFAULTS, lrFindSuggestions, type LrFindOptions, type SuggestionName } from './lr-find';
import type { DataSource } from './data-source';
import { yieldToEventLoop } from './yield';

export const GROUPS = 3;
export const DEFAULT_MOM = 0.9;

export type LearnerEvent =
  | { kind: 'phase'; name: string; epochs: number; stepsPerEpoch: number }
  | { kind: 'batch'; record: BatchRecord; stepInEpoch: number; stepsInEpoch: number }
  | { kind: 'epoch'; record: EpochRecord }
  | { kind: 'stopped'; reason: 'requested' | 'diverged' };

export interface LrFindResult {
  lrs: number[];
  losses: number[];
  /** fastai's four suggestions; NaN where one cannot be computed, and then `missing` says why. */
  suggestions: Record<SuggestionName, number>;
  missing: Partial<Record<SuggestionName, string>>;
  /** The sweep ended before numIt batches: stopped by the reader ('requested') or by its divergence rule. */
  stoppedEarly: boolean;
  outcome: 'done' | 'requested' | 'diverged';
}

/** Thrown by predictAll when its stop check says so. */
export class PredictionStopped extends Error {
  constructor() {
    super('Stopped before every image was predicted.');
  }
}

export interface Preds {
  probs: Float32Array;
  targets: Int32Array;
  losses: Float32Array;
  classes: number;
}

/** Thrown inside a fit to stop it; fit itself returns normally. */
class StopTraining extends Error {}

export class Learner {
  readonly recorder = new Recorder();
  readonly opt: Adam;
  frozen = false;
  private stopRequested = false;
  private iter = 0;
  private listeners = new Set<(e: LearnerEvent) => void>();

  constructor(
    readonly model: ResNet,
    readonly data: DataSource,
    opt: Partial<AdamOptions> = {},
  ) {
    this.opt = new Adam(opt);
  }

  on(listener: (e: LearnerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: LearnerEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Nesting of fit commands (fine_tune runs two fit_one_cycle phases). */
  private depth = 0;

  /** Runs a fit command; a stop request applies to the whole of the outermost one. */
  private async command<T>(f: () => Promise<T>): Promise<T> {
    if (this.depth === 0) this.stopRequested = false;
    this.depth++;
    try {
      return await f();
    } finally {
      this.depth--;
    }
  }

  /** Asks the running fit to stop after the current batch. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Only the head (and every BatchNorm, as fastai's train_bn) trains. Like fastai's `freeze_to`, it clears the
   * optimizer's state: Adam's averages and step counts start again from zero.
   */
  freeze(): void {
    this.frozen = true;
    this.opt.clearState();
  }

  /** Every group trains; clears the optimizer's state, as `freeze()` does. */
  unfreeze(): void {
    this.frozen = false;
    this.opt.clearState();
  }

  /** The parameters the next step updates. */
  trainableParams(): Param[] {
    return learnable(this.model).filter(
      (p) => !this.frozen || p.group === GROUPS - 1 || p.kind === 'bn-weight' || p.kind === 'bn-bias',
    );
  }

  /**
   * Records one optimisation step on a batch and returns its loss as a tensor, without waiting for the device: on a
   * GPU the step runs while the caller goes on (the time this takes is the step's cost on the CPU).
   */
  issueStep(x: tf.Tensor4D, y: tf.Tensor1D, lrs: readonly number[], moms: readonly number[]): tf.Scalar {
    const params = this.trainableParams();
    const stats: BnStats[] = [];
    const { value, grads } = tf.variableGrads(
      () => trainingLoss(forward(this.model, x, true, stats), y),
      params.map((p) => p.variable),
    );
    this.opt.step(params, grads, lrs, moms);
    updateRunningStats(stats);
    tf.dispose(Object.values(grads));
    return value;
  }

  /** One optimisation step on a batch; returns its loss once the step has run. */
  async trainStep(x: tf.Tensor4D, y: tf.Tensor1D, lrs: readonly number[], moms: readonly number[]): Promise<number> {
    return readScalar(this.issueStep(x, y, lrs, moms));
  }

  /**
   * The loop every fit shares: `hyper(pos)` gives each group's lr and the momentum at a position in [0, 1).
   * Stops on request, or when `stopRule` says so after a batch (lr_find).
   */
  private async run(
    name: string,
    epochs: number,
    hyper: (pos: number) => { lrs: number[]; mom: number },
    opts: { validate: boolean; maxSteps?: number; stopRule?: (r: BatchRecord) => boolean } = { validate: true },
  ): Promise<'done' | 'requested' | 'diverged'> {
    const stepsPerEpoch = this.data.trainBatchCount();
    if (stepsPerEpoch === 0) throw new Error('The training set is smaller than one batch.');
    const total = opts.maxSteps ?? epochs * stepsPerEpoch;
    this.recorder.beginFit();
    this.emit({ kind: 'phase', name, epochs, stepsPerEpoch });
    let done = 0;
    try {
      for (let epoch = 0; epoch < epochs && done < total; epoch++) {
        const started = performance.now();
        let k = 0;
        for await (const batch of this.data.trainBatches(epoch)) {
          if (done >= total || this.stopRequested) {
            tf.dispose([batch.x, batch.y]);
            if (this.stopRequested) throw new StopTraining('requested');
            break;
          }
          const h = hyper(stepPos(done, total));
          let loss: number;
          try {
            loss = await this.trainStep(
              batch.x,
              batch.y,
              h.lrs,
              h.lrs.map(() => h.mom),
            );
          } finally {
            tf.dispose([batch.x, batch.y]);
          }
          const record = this.recorder.addBatch({ iter: this.iter++, epoch, loss, lrs: h.lrs, mom: h.mom });
          done++;
          this.emit({ kind: 'batch', record, stepInEpoch: ++k, stepsInEpoch: stepsPerEpoch });
          if (opts.stopRule?.(record)) throw new StopTraining('diverged');
          // A Stop message can only be read on a new turn of the event loop.
          await yieldToEventLoop();
          if (this.stopRequested) throw new StopTraining('requested');
        }
        if (opts.validate) {
          await yieldToEventLoop();
          if (this.stopRequested) throw new StopTraining('requested');
          const v = await this.validate(() => this.stopRequested);
          const record: EpochRecord = {
            epoch: this.recorder.epochs.length,
            trainLoss: this.recorder.smoothLoss,
            ...v,
            seconds: (performance.now() - started) / 1000,
          };
          this.recorder.addEpoch(record);
          this.emit({ kind: 'epoch', record });
        }
      }
    } catch (error) {
      if (error instanceof StopTraining || error instanceof PredictionStopped) {
        const reason = error instanceof PredictionStopped ? 'requested' : (error.message as 'requested' | 'diverged');
        this.emit({ kind: 'stopped', reason });
        return reason;
      }
      throw error;
    }
    return 'done';
  }

  /** Validation loss, error rate and accuracy over the whole validation set. */
  async validate(shouldStop?: () => boolean): Promise<{ validLoss: number; errorRate: number; accuracy: number }> {
    const p = await predictAll(this.model, this.data, undefined, shouldStop);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < p.targets.length; i++) {
      loss += p.losses[i]!;
      let best = 0;
      for (let c = 1; c < p.classes; c++) if (p.probs[i * p.classes + c]! > p.probs[i * p.classes + best]!) best = c;
      if (best === p.targets[i]) correct++;
    }
    const n = Math.max(1, p.targets.length);
    return { validLoss: loss / n, errorRate: 1 - correct / n, accuracy: correct / n };
  }

  /** Probabilities, targets and per-item losses on the validation set (for metrics, interpretation, top losses). */
  getPreds(onItems?: (done: number) => void): Promise<Preds> {
    return predictAll(this.model, this.data, onItems);
  }

  /** Constant learning rate(s), momentum 0.9. */
  fit(epochs: number, lr: LrSpec = 1e-3): Promise<'done' | 'requested' | 'diverged'> {
    const lrs = groupLrs(lr, GROUPS);
    return this.command(() => this.run('fit', epochs, () => ({ lrs, mom: DEFAULT_MOM })));
  }

  /** 1cycle: cosine warm-up to lrMax over pct_start, then cosine annealing; momentum the other way. */
  fitOneCycle(
    epochs: number,
    lrMax: LrSpec = 1e-3,
    o: Partial<OneCycleOptions> = {},
    name = 'fit_one_cycle',
  ): Promise<'done' | 'requested' | 'diverged'> {
    const scheds = groupLrs(lrMax, GROUPS).map((lr) => oneCycle(lr, { ...ONE_CYCLE_DEFAULTS, ...o }));
    return this.command(() =>
      this.run(name, epochs, (pos) => ({ lrs: scheds.map((s) => s.lr(pos)), mom: scheds[0]!.mom(pos) })),
    );
  }

  /**
   * fastai's fine_tune: one-cycle frozen at slice(base_lr) with pct_start 0.99, then unfrozen at half the rate with
   * discriminative rates (./fine-tune-plan.ts has the phases).
   */
  fineTune(
    epochs: number,
    baseLr = 2e-3,
    o: Partial<FineTuneOptions> = {},
  ): Promise<'done' | 'requested' | 'diverged'> {
    return this.command(async () => {
      for (const phase of fineTunePhases(epochs, baseLr, o)) {
        if (phase.frozen) this.freeze();
        else this.unfreeze();
        const outcome = await this.fitOneCycle(phase.epochs, phase.lr, phase.oneCycle, phase.name);
        if (outcome !== 'done') return outcome;
      }
      return 'done';
    });
  }

  /**
   * The learning-rate finder: lr grows exponentially from startLr to endLr over numIt batches (all groups alike),
   * stopping when the smoothed loss passes 4x its best. Weights, BatchNorm statistics and optimizer state are put
   * back exactly afterwards.
   */
  lrFind(o: Partial<LrFindOptions> = {}): Promise<LrFindResult> {
    return this.command(() => this.findLr(o));
  }

  private async findLr(o: Partial<LrFindOptions>): Promise<LrFindResult> {
    const { startLr, endLr, numIt, stopDiv } = { ...LR_FIND_DEFAULTS, ...o };
    const saved = this.model.params.map((p) => tf.clone(p.variable));
    const savedOpt = this.opt.snapshot();
    const sched = schedExp(startLr, endLr);
    const epochs = Math.ceil(numIt / this.data.trainBatchCount());
    const from = this.recorder.batches.length;
    let best = Infinity;
    let outcome: 'done' | 'requested' | 'diverged';
    try {
      outcome = await this.run(
        'lr_find',
        epochs,
        (pos) => ({ lrs: Array(GROUPS).fill(sched(pos)), mom: DEFAULT_MOM }),
        {
          validate: false,
          maxSteps: numIt,
          stopRule: (r) => {
            if (r.smoothLoss < best) best = r.smoothLoss;
            return stopDiv && diverged(r.smoothLoss, best);
          },
        },
      );
    } finally {
      tf.tidy(() => this.model.params.forEach((p, i) => p.variable.assign(saved[i]!)));
      tf.dispose(saved);
      this.opt.restore(savedOpt);
    }
    const batches = this.recorder.batches.slice(from);
    const lrs = batches.map((b) => b.lrs[0]!);
    const losses = batches.map((b) => b.smoothLoss);
    const sug = lrFindSuggestions(lrs, losses, numIt);
    return { lrs, losses, stoppedEarly: outcome !== 'done', outcome, suggestions: sug.lrs, missing: sug.missing };
  }

  dispose(): void {
    this.opt.dispose();
  }
}

/**
 * `model`'s probabilities, targets and per-item losses over every validation item of `data`, in order, in inference
 * mode; `onItems` hears how many are done after each batch. With `shouldStop`, the event loop gets a turn after each
 * batch (so a stop message can arrive) and a true answer throws PredictionStopped.
 */
export async function predictAll(
  model: ResNet,
  data: DataSource,
  onItems?: (done: number) => void,
  shouldStop?: () => boolean,
): Promise<Preds> {
  const probs: number[] = [];
  const targets: number[] = [];
  const losses: number[] = [];
  for await (const batch of data.validBatches()) {
    const [p, l] = tf.tidy(() => {
      const logits = forward(model, batch.x, false);
      return [softmax(logits), crossEntropyPerItem(logits, batch.y)];
    });
    probs.push(...(await p.data()));
    losses.push(...(await l.data()));
    targets.push(...(await batch.y.data()));
    tf.dispose([p, l, batch.x, batch.y]);
    onItems?.(targets.length);
    if (shouldStop) {
      await yieldToEventLoop();
      if (shouldStop()) throw new PredictionStopped();
    }
  }
  return {
    probs: Float32Array.from(probs),
    targets: Int32Array.from(targets),
    losses: Float32Array.from(losses),
    classes: model.config.classes,
  };
}

/** The value of a scalar once the device has computed it; the tensor is disposed. */
async function readScalar(t: tf.Scalar): Promise<number> {
  try {
    return (await t.data())[0]!;
  } finally {
    t.dispose();
  }
}
