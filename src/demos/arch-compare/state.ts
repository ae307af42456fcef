// The architecture comparison's state in the URL (keys prefixed "arch."): the two models and the training both get.
import { enumField, intField, numberField, type Schema } from '../../lib/url-state';
import { ARCHS } from '../../lib/model/archs';

export interface ArchCompareState {
  a: string;
  b: string;
  epochs: number;
  /** log10 of fit_one_cycle's lr_max. */
  lr: number;
  /** Training images to use; 0 means all of them. */
  items: number;
  size: number;
  bs: number;
}

const names = Object.keys(ARCHS);

export const archCompareSchema: Schema<ArchCompareState> = {
  a: enumField('resnet-s', names),
  b: enumField('resnet-s-deep', names),
  epochs: intField(3, 1, 10),
  lr: numberField(-2.5, -4, -1, 1),
  items: intField(0, 0, 100_000),
  size: intField(64, 24, 160),
  bs: intField(32, 4, 128),
};

export const ARCH_PREFIX = 'arch';
