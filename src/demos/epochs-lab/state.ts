// The epochs lab's state in the URL (keys prefixed "es."): the first, long fit_one_cycle run and the data both runs
// see; the retrained run's epoch count is not a setting, it comes from the first run's best epoch.
import { enumField, intField, numberField, type Schema } from '../../lib/url-state';
import { ARCHS } from '../../lib/model/archs';

export interface EpochsLabState {
  /** fit_one_cycle(epochs) of the first run. */
  epochs: number;
  /** log10 of lr_max. */
  lr: number;
  arch: string;
  /** Training images to use; 0 means all of them. */
  items: number;
  size: number;
  bs: number;
}

export const epochsLabSchema: Schema<EpochsLabState> = {
  epochs: intField(6, 2, 12),
  lr: numberField(-2.5, -4, -1, 1),
  arch: enumField('resnet-s', Object.keys(ARCHS)),
  items: intField(0, 0, 100_000),
  size: intField(64, 24, 160),
  bs: intField(32, 4, 128),
};

export const ES_PREFIX = 'es';

/** The quick-run sizes offered: each at least one batch of 16 (a safe pairing with the smaller batch sizes). */
export const QUICK_ITEMS = [64, 256, 1024] as const;

/**
 * The batch size the runs really use: never more than the images a quick run has, so every epoch has at least one
 * full batch (the last partial batch is dropped, as fastai does).
 */
export function effectiveBatch(s: Pick<EpochsLabState, 'items' | 'bs'>): number {
  return s.items > 0 ? Math.min(s.bs, s.items) : s.bs;
}
