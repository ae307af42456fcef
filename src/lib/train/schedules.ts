// Hyper-parameter schedules as fastai defines them: a schedule maps the position in training, pos in [0, 1), to a
// value. fit_one_cycle's learning rate and momentum, and lr_find's exponential sweep.

export type Schedule = (pos: number) => number;

/** Cosine from start (pos 0) to end (pos 1), fastai's SchedCos. */
export const schedCos =
  (start: number, end: number): Schedule =>
  (pos) =>
    start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;

/** Exponential from start to end, fastai's SchedExp. */
export const schedExp =
  (start: number, end: number): Schedule =>
  (pos) =>
    start * (end / start) ** pos;

/** Two cosines glued at pct: start -> middle over [0, pct], middle -> end over [pct, 1] (fastai's combined_cos). */
export function combinedCos(pct: number, start: number, middle: number, end: number): Schedule {
  const a = schedCos(start, middle);
  const b = schedCos(middle, end);
  return (pos) => (pos < pct ? a(pct === 0 ? 1 : pos / pct) : b(pct === 1 ? 1 : (pos - pct) / (1 - pct)));
}

export interface OneCycleOptions {
  div: number;
  divFinal: number;
  pctStart: number;
  /** Momentum (Adam's beta1) at start, middle, end. */
  moms: [number, number, number];
}

export const ONE_CYCLE_DEFAULTS: OneCycleOptions = { div: 25, divFinal: 1e5, pctStart: 0.25, moms: [0.95, 0.85, 0.95] };

/** fit_one_cycle's schedules for one parameter group whose peak learning rate is lrMax. */
export function oneCycle(lrMax: number, o: OneCycleOptions = ONE_CYCLE_DEFAULTS): { lr: Schedule; mom: Schedule } {
  return {
    lr: combinedCos(o.pctStart, lrMax / o.div, lrMax, lrMax / o.divFinal),
    mom: combinedCos(o.pctStart, ...o.moms),
  };
}

/** The position of training step `i` (0-based) of `n`, as fastai computes it before the step: i / n. */
export const stepPos = (i: number, n: number): number => i / n;
