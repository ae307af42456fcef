// The fine-tuning lab's state in the URL (keys prefixed "ft."): fine_tune's arguments for run A, what run B changes,
// and the data the runs see.
import { enumField, intField, numberField, type Schema } from '../../lib/url-state';

/** What run B changes against run A (a pretrained body fine-tuned as set). */
export type Compare = 'scratch' | 'same-rate' | 'no-freeze';
export const COMPARES: readonly Compare[] = ['scratch', 'same-rate', 'no-freeze'];

export interface FineTuneState {
  /** fine_tune(epochs): epochs after the frozen ones. */
  epochs: number;
  /** log10 of base_lr. */
  lr: number;
  freeze: number;
  /** log10 of lr_mult. */
  mult: number;
  compare: Compare;
  /** Training images to use; 0 means all of them. */
  items: number;
  size: number;
  bs: number;
}

export const fineTuneSchema = (compare: Compare = 'scratch'): Schema<FineTuneState> => ({
  epochs: intField(2, 1, 5),
  lr: numberField(-2.7, -4, -1, 1),
  freeze: intField(1, 0, 3),
  mult: intField(2, 0, 3),
  compare: enumField<Compare>(compare, COMPARES),
  items: intField(0, 0, 100_000),
  size: intField(64, 24, 160),
  bs: intField(32, 4, 128),
});

export const FT_PREFIX = 'ft';

export interface RunSpec {
  label: string;
  pretrained: boolean;
  epochs: number;
  freezeEpochs: number;
  lrMult: number;
}

/** Run A as set, and run B with the one change `compare` names (the same number of epochs in all). */
export function runsOf(s: FineTuneState): [RunSpec, RunSpec] {
  const a: RunSpec = {
    label: 'pretrained body',
    pretrained: true,
    epochs: s.epochs,
    freezeEpochs: s.freeze,
    lrMult: 10 ** s.mult,
  };
  const b: RunSpec =
    s.compare === 'scratch'
      ? { ...a, label: 'random body (no pretraining)', pretrained: false }
      : s.compare === 'same-rate'
        ? { ...a, label: 'pretrained, one rate for all groups', lrMult: 1 }
        : { ...a, label: 'pretrained, never frozen', epochs: s.epochs + s.freeze, freezeEpochs: 0 };
  return [a, b];
}
