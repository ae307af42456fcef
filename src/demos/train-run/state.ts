// The training demo's state in the URL (keys prefixed "train.").
import { enumField, intField, numberField, type Schema } from '../../lib/url-state';
import { ARCHS } from '../../lib/model/archs';

export type Method = 'fit_one_cycle' | 'fine_tune' | 'fit';

export interface TrainState {
  method: Method;
  epochs: number;
  /** log10 of the (peak) learning rate. */
  lr: number;
  arch: string;
  size: number;
  bs: number;
  /** Training images to use; 0 means all of them. */
  items: number;
}

export const trainSchema: Schema<TrainState> = {
  method: enumField<Method>('fit_one_cycle', ['fit_one_cycle', 'fine_tune', 'fit']),
  epochs: intField(3, 1, 20),
  lr: numberField(-2.5, -5, -0.5, 2),
  arch: enumField('resnet-s', Object.keys(ARCHS)),
  size: intField(64, 24, 160),
  bs: intField(32, 4, 128),
  items: intField(0, 0, 100_000),
};

export const TRAIN_PREFIX = 'train';
