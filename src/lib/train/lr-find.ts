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

/**
 * Whether the sweep may stop: the smoothed loss passed 4x the best (fastai's rule), or is not a number (fastai runs
 * on to the end then, but every later point is NaN too and `trimForSuggestions` drops them all, so stopping changes
 * nothing but the time taken).
 */
export function diverged(smooth: number, best: number): boolean {
  return !Number.isFinite(smooth) || smooth > 4 * best;
}

export interface Suggestion {
  lr: number;
  /** Index into the (trimmed) arrays of the point it refers to. */
  index: number;
}

/**
 * The part of the sweep fastai suggests from: losses[numIt/10 : -5], cut at the first NaN. fastai does not stop on a
 * NaN (its `smooth_loss > 4 * best` is false for NaN), so it would have recorded all `numIt` points and trimmed five
 * from that end; we stop at the first NaN to save time, so the window ends at that NaN or at numIt - 5, whichever is
 * first: the points used are the same as fastai's.
 */
export function trimForSuggestions(
  lrs: readonly number[],
  losses: readonly number[],
  numIt: number,
): { lrs: number[]; losses: number[] } {
  const from = Math.floor(numIt / 10);
  const nan = losses.findIndex((l) => Number.isNaN(l));
  const to = Math.max(from, nan < 0 ? lrs.length - 5 : Math.min(nan, numIt - 5));
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
export function suggestSlide(
  lrs: readonly number[],
  losses: readonly number[],
  lrDiff = 15,
  thresh = 0.005,
): Suggestion {
  const n = losses.length;
  const grad = losses.map((_, i) =>
    i === 0
      ? losses[1]! - losses[0]!
      : i === n - 1
        ? losses[n - 1]! - losses[n - 2]!
        : (losses[i + 1]! - losses[i - 1]!) / 2,
  );
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

export type SuggestionName = 'minimum' | 'steep' | 'valley' | 'slide';
export const SUGGESTION_NAMES: readonly SuggestionName[] = ['minimum', 'steep', 'valley', 'slide'];

/** At least this many points after trimming for `slide` (fastai indexes lrs[-16]). */
export const SLIDE_MIN_POINTS = 16;

export interface LrSuggestions {
  /** Each suggestion's learning rate, NaN where it cannot be computed (then `missing` says why). */
  lrs: Record<SuggestionName, number>;
  /** Why a suggestion is missing, in words, for each one that is. */
  missing: Partial<Record<SuggestionName, string>>;
  /** How many points the suggestions were computed from (after trimming). */
  points: number;
}

/**
 * fastai's four suggestions from a sweep's recorded rates and smoothed losses: trimmed as fastai trims, each computed
 * only where fastai's own would give a real answer; "not enough points" in words otherwise, never NaN unexplained.
 */
export function lrFindSuggestions(lrs: readonly number[], losses: readonly number[], numIt: number): LrSuggestions {
  const t = trimForSuggestions(lrs, losses, numIt);
  const n = t.lrs.length;
  const out: LrSuggestions = { lrs: { minimum: NaN, steep: NaN, valley: NaN, slide: NaN }, missing: {}, points: n };
  const tooFew = (need: number) =>
    `not enough points: it needs at least ${need} after trimming, and the sweep left ${n}`;
  if (n >= 1) out.lrs.minimum = suggestMinimum(t.lrs, t.losses).lr;
  else out.missing.minimum = tooFew(1);
  if (n >= 2) out.lrs.steep = suggestSteep(t.lrs, t.losses).lr;
  else out.missing.steep = tooFew(2);
  if (n >= 1) {
    const v = suggestValley(t.lrs, t.losses);
    if (v.index >= 0 && v.index < n) out.lrs.valley = v.lr;
    else out.missing.valley = 'not enough points: the longest falling stretch is too short to place the valley in it';
  } else out.missing.valley = tooFew(1);
  if (n >= SLIDE_MIN_POINTS) out.lrs.slide = suggestSlide(t.lrs, t.losses).lr;
  else out.missing.slide = tooFew(SLIDE_MIN_POINTS);
  return out;
}
