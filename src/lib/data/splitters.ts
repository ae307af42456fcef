// Train/validation splits: fastai's RandomSplitter semantics (shuffle, the first valid_pct go to validation), seeded.
import { seededRng, shuffled } from './rng';

export interface Split {
  train: number[];
  valid: number[];
}

/**
 * Shuffles the indices 0..n-1 with `seed` and puts the first floor(validPct * n) in the validation set, as fastai's
 * RandomSplitter does. Same seed, same split, on every machine (the permutation comes from our own generator, so the
 * membership differs from PyTorch's; the sizes are the same).
 */
export function randomSplit(n: number, validPct = 0.2, seed = 42): Split {
  if (!(validPct >= 0 && validPct < 1)) throw new RangeError(`validPct must be in [0, 1), got ${validPct}`);
  const order = shuffled(
    Array.from({ length: n }, (_, i) => i),
    seededRng(seed),
  );
  const cut = Math.floor(validPct * n);
  return { valid: order.slice(0, cut).sort((a, b) => a - b), train: order.slice(cut).sort((a, b) => a - b) };
}

/** A split given by a predicate per item (the dataset's official lists, or Imagenette's train/val folders). */
export function splitBy(n: number, isValid: (i: number) => boolean): Split {
  const split: Split = { train: [], valid: [] };
  for (let i = 0; i < n; i++) (isValid(i) ? split.valid : split.train).push(i);
  return split;
}
