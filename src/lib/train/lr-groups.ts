// Learning rates for parameter groups, with fastai's meaning of a plain number and of slice(...).

/** slice(stop) or slice(start, stop), as in Python. */
export interface LrSlice {
  start?: number;
  stop: number;
}

export type LrSpec = number | LrSlice;

export function slice(a: number, b?: number): LrSlice {
  return b === undefined ? { stop: a } : { start: a, stop: b };
}

/** n values spaced geometrically from start to stop (fastai's even_mults). */
export function evenMults(start: number, stop: number, n: number): number[] {
  if (n === 1) return [stop];
  const step = (stop / start) ** (1 / (n - 1));
  return Array.from({ length: n }, (_, i) => start * step ** i);
}

/**
 * One learning rate per group: a number gives every group that rate; slice(start, stop) spaces them geometrically
 * from the first group to the last; slice(stop) gives the last group stop and every other group stop / 10.
 */
export function groupLrs(spec: LrSpec, groups: number): number[] {
  if (typeof spec === 'number') return Array(groups).fill(spec);
  if (spec.start === undefined) return [...Array(groups - 1).fill(spec.stop / 10), spec.stop];
  return evenMults(spec.start, spec.stop, groups);
}

/** The largest rate of a spec, which schedules are built around. */
export const maxLr = (spec: LrSpec): number => (typeof spec === 'number' ? spec : spec.stop);

/** The spec with every rate multiplied by f (fine_tune halves its base rate this way). */
export function scaleLr(spec: LrSpec, f: number): LrSpec {
  if (typeof spec === 'number') return spec * f;
  return spec.start === undefined ? { stop: spec.stop * f } : { start: spec.start * f, stop: spec.stop * f };
}

export function formatLr(spec: LrSpec): string {
  const e = (x: number) =>
    x
      .toExponential(2)
      .replace('e-', 'e-')
      .replace(/\.?0+e/, 'e');
  if (typeof spec === 'number') return e(spec);
  return spec.start === undefined ? `slice(${e(spec.stop)})` : `slice(${e(spec.start)}, ${e(spec.stop)})`;
}
