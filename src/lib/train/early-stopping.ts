// Early stopping against retraining: pick the epoch where the validation metric was best in a first run, and set
// that run's numbers at that epoch beside a second run trained from scratch for exactly that many epochs.
import type { EpochRecord } from './recorder';
import { oneCycle } from './schedules';

export interface BestEpoch {
  /** How many epochs had run when the metric was best (1-based): the epoch count to retrain for. */
  epochs: number;
  record: EpochRecord;
}

/**
 * The epoch with the lowest error_rate. Ties (common on a small validation set, where the error moves in steps of
 * one image) go to the lower validation loss, then to the earlier epoch. Null when no epoch finished.
 */
export function bestEpoch(epochs: readonly EpochRecord[]): BestEpoch | null {
  let best = -1;
  for (const [i, e] of epochs.entries()) {
    if (!Number.isFinite(e.errorRate)) continue;
    const b = epochs[best];
    if (!b || e.errorRate < b.errorRate || (e.errorRate === b.errorRate && e.validLoss < b.validLoss)) best = i;
  }
  return best < 0 ? null : { epochs: best + 1, record: epochs[best]! };
}

export interface StopVersusRetrain {
  /** The epoch count both models trained for. */
  epochs: number;
  /** The first run's numbers at its best epoch: what stopping early (or keeping that checkpoint) gives. */
  stopped: EpochRecord;
  /** The retrained run's numbers after its last epoch. */
  retrained: EpochRecord;
  /** retrained minus stopped: negative means the retrained model is better. */
  errorChange: number;
  validLossChange: number;
}

/**
 * The comparison, once the retrained run has finished. Throws when that run did not train exactly the best epoch
 * count, since the two would not be comparable.
 */
export function compareStopAndRetrain(
  first: readonly EpochRecord[],
  retrain: readonly EpochRecord[],
): StopVersusRetrain {
  const best = bestEpoch(first);
  if (!best) throw new Error('The first run finished no epoch, so there is no best epoch to retrain for.');
  if (retrain.length !== best.epochs) {
    throw new Error(
      `The retrained run has ${retrain.length} epochs; it should have ${best.epochs}, the best epoch count of the first run.`,
    );
  }
  const retrained = retrain.at(-1)!;
  return {
    epochs: best.epochs,
    stopped: best.record,
    retrained,
    errorChange: retrained.errorRate - best.record.errorRate,
    validLossChange: retrained.validLoss - best.record.validLoss,
  };
}

/** In words: which model did better on the validation set, by error_rate first and valid_loss on a tie. */
export function verdict(c: StopVersusRetrain): 'retrained' | 'stopped' | 'tie' {
  const e = c.errorChange;
  if (e < 0 || (e === 0 && c.validLossChange < 0)) return 'retrained';
  if (e > 0 || (e === 0 && c.validLossChange > 0)) return 'stopped';
  return 'tie';
}

/**
 * The learning rate fit_one_cycle(totalEpochs, lrMax) used on the last batch of epoch `epoch` (1-based): where the
 * schedule stood when that epoch's validation numbers were taken.
 */
export function lrAtEndOfEpoch(lrMax: number, epoch: number, totalEpochs: number, stepsPerEpoch: number): number {
  if (!(epoch >= 1 && epoch <= totalEpochs)) throw new Error(`epoch ${epoch} is outside 1..${totalEpochs}`);
  const steps = totalEpochs * stepsPerEpoch;
  return oneCycle(lrMax).lr((epoch * stepsPerEpoch - 1) / steps);
}
