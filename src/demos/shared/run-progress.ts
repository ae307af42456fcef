// A training demo's progress over the whole run, from its first second: starting the engine, the pack (download and
// decode), building the model, then the batches of every phase (and every run of a comparison), as one share for a
// <progress> bar and a sentence with the time left. The time left comes from the batches measured so far; before the
// first batch there is no honest figure, and the sentence says what it is waiting for.
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

export class RunProgress {
  #stage: Stage = 'engine';
  #done = 0;
  #total = 1;
  /** Units of work (batches) planned in all, done so far, and when the first one started. */
  #workTotal = 0;
  #workDone = 0;
  #workStarted: number | null = null;

  constructor(
    private readonly onChange: (view: ProgressView) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A stage begins or moves on: `done` of `total` (bytes, images, steps) within it. */
  stage(stage: Exclude<Stage, 'work'>, done = 0, total = 1): void {
    this.#stage = stage;
    this.#done = Math.max(0, Math.min(done, total));
    this.#total = Math.max(1, total);
    this.onChange(this.view());
  }

  /** The work ahead: `total` units (batches over every phase and run, or images to predict). */
  plan(total: number): void {
    this.#stage = 'work';
    this.#workTotal = Math.max(1, total);
    this.#workStarted ??= this.now();
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

  /** Seconds left for the work, at the rate measured so far; null before any unit is done. */
  secondsLeft(): number | null {
    if (this.#workStarted === null || this.#workDone <= 0) return null;
    const perUnit = (this.now() - this.#workStarted) / 1000 / this.#workDone;
    return perUnit * (this.#workTotal - this.#workDone);
  }

  view(): ProgressView {
    const fraction = this.fraction();
    const pct = `${Math.floor(fraction * 100)}% done`;
    const left = this.secondsLeft();
    const words = left !== null ? `${pct}${timeLeft(left)} in all` : this.#stage === 'work' ? `${pct}; the time left is known after the first batch` : `${pct}; the time left is known once training starts`;
    return { fraction, words };
  }
}
