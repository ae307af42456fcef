// A training demo's progress over the whole run, from its first second: starting the engine, the pack (download and
// decode), building the model, then the batches of every phase (and every run of a comparison), as one share for a
// <progress> bar and a sentence with the time left. The download's time left comes from its own rate so far. The
// work's comes from the batches measured in this run; before the first batch, from the worker's per-batch cost (timed
// in an earlier run in this browser, same backend, model, size and batch, else a first guess for the backend), and
// the sentence says which.
import { timeLeft } from './time-left';

export type Stage = 'engine' | 'pack' | 'model' | 'work';

/** Each stage's share of the bar (the work, batches or predictions, takes most of the time on every backend). */
const WEIGHTS: Record<Stage, number> = { engine: 0.03, pack: 0.1, model: 0.04, work: 0.83 };
const ORDER: Stage[] = ['engine', 'pack', 'model', 'work'];

export interface ProgressView {
  /** Share of the run done, 0 to 1. */
  fraction: number;
  words: string;
}

/** What one unit of work costs before any is timed (the model reply's batchSeconds). */
export interface PriorCost {
  seconds: number;
  basis: 'earlier' | 'guess';
}

type Estimate = { seconds: number; basis: 'measured' | 'earlier' | 'guess' | 'download' };

export class RunProgress {
  /** The backend in use, once the engine has started (part of a per-batch cost's key). */
  backend = '';
  #stage: Stage = 'engine';
  #done = 0;
  #total = 1;
  #stageStarted: number;
  /** Units of work (batches) planned in all, done so far, and when the first one started. */
  #workTotal = 0;
  #workDone = 0;
  #workStarted: number | null = null;
  /** What one unit costs before any is timed. */
  #prior: PriorCost | null = null;

  constructor(
    private readonly onChange: (view: ProgressView) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#stageStarted = now();
  }

  /** A stage begins or moves on: `done` of `total` (bytes, images, steps) within it. */
  stage(stage: Exclude<Stage, 'work'>, done = 0, total = 1): void {
    if (stage !== this.#stage) this.#stageStarted = this.now();
    this.#stage = stage;
    this.#done = Math.max(0, Math.min(done, total));
    this.#total = Math.max(1, total);
    this.onChange(this.view());
  }

  /** The work ahead: `total` units (batches over every phase and run, or images to predict); `prior`, a unit's cost. */
  plan(total: number, prior: PriorCost | null = null): void {
    this.#stage = 'work';
    this.#workTotal = Math.max(1, total);
    this.#workStarted ??= this.now();
    this.#prior = prior;
    this.onChange(this.view());
  }

  /** Units of work done so far. */
  worked(done: number): void {
    this.#workDone = Math.max(0, Math.min(done, this.#workTotal));
    this.onChange(this.view());
  }

  fraction(): number {
    const k = ORDER.indexOf(this.#stage);
    const before = ORDER.slice(0, k).reduce((s, st) => s + WEIGHTS[st], 0);
    const within = this.#stage === 'work' ? this.#workDone / Math.max(1, this.#workTotal) : this.#done / this.#total;
    return Math.min(1, before + WEIGHTS[this.#stage] * within);
  }

  #perUnit(): number | null {
    if (this.#workStarted === null || this.#workDone <= 0) return null;
    return (this.now() - this.#workStarted) / 1000 / this.#workDone;
  }

  #estimate(): Estimate | null {
    if (this.#stage === 'pack') {
      const elapsed = (this.now() - this.#stageStarted) / 1000;
      if (this.#done <= 0 || elapsed <= 0) return null;
      return { seconds: ((this.#total - this.#done) / this.#done) * elapsed, basis: 'download' };
    }
    if (this.#stage !== 'work') return null;
    const left = this.#workTotal - this.#workDone;
    const measured = this.#perUnit();
    if (measured !== null) return { seconds: measured * left, basis: 'measured' };
    if (!this.#prior) return null;
    // The first batch is under way: the time it has taken so far counts against it.
    const started = (this.now() - (this.#workStarted ?? this.now())) / 1000;
    return { seconds: Math.max(0, this.#prior.seconds * left - started), basis: this.#prior.basis };
  }

  /** Seconds left for the current stage's estimate (the download, or the work); null while there is none. */
  secondsLeft(): number | null {
    return this.#estimate()?.seconds ?? null;
  }

  view(): ProgressView {
    const fraction = this.fraction();
    const pct = `${Math.floor(fraction * 100)}% done`;
    const e = this.#estimate();
    const words =
      e === null
        ? this.#stage === 'work'
          ? `${pct}; the time left is known after the first batch`
          : `${pct}; the time left is known once training starts`
        : e.basis === 'download'
          ? `${pct}${timeLeft(e.seconds, ' for the download')}`
          : e.basis === 'measured'
            ? `${pct}${timeLeft(e.seconds)} in all`
            : `${pct}${timeLeft(e.seconds)} in all (${e.basis === 'earlier' ? 'as timed in an earlier run in this browser' : `a first guess for ${this.backend}`}, until the first batch is timed)`;
    return { fraction, words };
  }
}
