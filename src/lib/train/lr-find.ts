// The learning-rate finder's pure parts: smoothing, the stop rule, and fastai's four suggestions.

/** Exponential moving average with debiasing, as fastai's Recorder smooths the loss (beta 0.98). */
export class SmoothedLoss {
  private avg = 0;
  private n = 0;
  constructor(private readonly beta = 0.98) {}
  add(loss: number): number {
    this.n++;
    this.avg = this.beta * this.avg + (1 - this.beta) * loss;
    return this.value;
  }
  get value(): number {
    return this.n === 0 ? NaN : this.avg / (1 - this.beta ** this.n);
  }
}

export interface LrFindOptions {
  startLr: number;
  endLr: number;
  numIt: number;
  stopDiv: boolean;
}

export const LR_FIND_DEFAULTS: LrFindOptions = { startLr: 1e-7, endLr: 10, numIt: 100, stopDiv: true };

/** Whether the sweep must stop: the smoothed loss passed 4x the best, or is not a number. */
export function diverged(smooth: number, best: number): boolean {
  return !Number.isFinite(smooth) || smooth > 4 * best;
}

export interface Suggestion {
  lr: number;
  /** Index into the (trimmed) arrays of the point it refers to. */
  index: number;
}

/** The part of the sweep fastai suggests from: losses[numIt/10 : -5]. */
export function trimForSuggestions(lrs: readonly number[], losses: readonly number[], numIt: number): { lrs: number[]; losses: number[] } {
  const from = Math.floor(numIt / 10);
  const to = Math.max(from, lrs.length - 5);
  return { lrs: lrs.slice(from, to), losses: losses.slice(from, to) };
}

const argmin = (xs: readonly number[]) => xs.reduce((best, x, i) => (x < xs[best]! ? i : best), 0);

/** The rate at the lowest loss, divided by ten. */
export function suggestMinimum(lrs: readonly number[], losses: readonly number[]): Suggestion {
  const i = argmin(losses);
  return { lr: lrs[i]! / 10, index: i };
}

/** The rate where the loss falls fastest against log(lr). */
export function suggestSteep(lrs: readonly number[], losses: readonly number[]): Suggestion {
  const slopes = losses.slice(1).map((l, i) => (l - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!)));
  const i = argmin(slopes);
  return { lr: lrs[i]!, index: i };
}

/** fastai's default: inside the longest decreasing stretch of the curve, a third plus a sixth of the way along. */
export function suggestValley(lrs: readonly number[], losses: readonly number[]): Suggestion {
  const n = losses.length;
  const run = Array(n).fill(1) as number[];
  let start = 0;
  let end = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && run[i]! < run[j]! + 1) run[i] = run[j]! + 1;
      if (run[end]! < run[i]!) {
        end = i;
        start = end - run[end]!;
      }
    }
  }
  const sections = (end - start) / 3;
  const i = start + Math.trunc(sections) + Math.trunc(sections / 2);
  return { lr: lrs[i]!, index: i };
}

/** fastai's slide rule: walk left from the end until the loss gradient settles within `thresh` over `lrDiff` points. */
export function suggestSlide(lrs: readonly number[], losses: readonly number[], lrDiff = 15, thresh = 0.005): Suggestion {
  const n = losses.length;
  const grad = losses.map((_, i) => (i === 0 ? losses[1]! - losses[0]! : i === n - 1 ? losses[n - 1]! - losses[n - 2]! : (losses[i + 1]! - losses[i - 1]!) / 2));
  let r = n - 1;
  let l = r - lrDiff;
  let index = Math.max(0, l);
  while (l >= 0 && Math.abs(grad[r]! - grad[l]!) > thresh) {
    index = l;
    r--;
    l--;
  }
  return { lr: lrs[index]!, index };
}
