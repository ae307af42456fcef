// What the learning-rate finder's chart shows, as fastai plots it: the smoothed loss against a log-scale rate, the
// loss axis ending where the sweep's stop rule (4x the best smoothed loss) puts it, so raw spikes of the unsmoothed
// loss cannot flatten the curve, and each suggestion placed on the curve.

/** The stop rule's factor: the sweep ends once the smoothed loss passes this many times its best. */
export const STOP_FACTOR = 4;

/**
 * The loss axis for a sweep: from a little under the best smoothed loss up to the highest smoothed loss, but never
 * above `STOP_FACTOR` times the best. Raw losses are not consulted (they are drawn clipped to this range).
 * Non-finite values are ignored; null when there is nothing finite to show.
 */
export function lrFindLossRange(smooth: readonly number[]): [number, number] | null {
  const finite = smooth.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const best = Math.min(...finite);
  const worst = Math.max(...finite);
  const top = Math.min(worst, best > 0 ? STOP_FACTOR * best : worst);
  const span = top - best;
  // A flat curve still gets an axis with room around it.
  const pad = span > 0 ? span * 0.05 : Math.max(Math.abs(best) * 0.05, 0.05);
  return [best - pad, span > 0 ? top : best + pad];
}

/**
 * The smoothed loss at `lr`, read off the sweep's curve (linear in log(lr) between the two nearest points), so a
 * suggestion can be marked on the curve; NaN outside the swept range or for a rate that is not a positive number.
 */
export function lossAtLr(lrs: readonly number[], losses: readonly number[], lr: number): number {
  if (!(lr > 0) || lrs.length === 0) return NaN;
  const n = Math.min(lrs.length, losses.length);
  for (let i = 0; i < n; i++) {
    if (lrs[i] === lr) return losses[i]!;
    if (i > 0 && lrs[i - 1]! < lr && lr < lrs[i]!) {
      const t = (Math.log(lr) - Math.log(lrs[i - 1]!)) / (Math.log(lrs[i]!) - Math.log(lrs[i - 1]!));
      return losses[i - 1]! + t * (losses[i]! - losses[i - 1]!);
    }
  }
  return NaN;
}
