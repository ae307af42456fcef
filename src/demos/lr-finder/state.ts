// The learning-rate finder demo's state in the URL (keys prefixed "lrf.").
import { enumField, intField, type Schema } from '../../lib/url-state';
import { ARCHS } from '../../lib/model/archs';

export interface LrFinderState {
  arch: string;
  numIt: number;
  size: number;
  bs: number;
  /** Training images to use; 0 means all. */
  items: number;
}

export const lrFinderSchema: Schema<LrFinderState> = {
  arch: enumField('resnet-s', Object.keys(ARCHS)),
  numIt: intField(100, 10, 200),
  size: intField(64, 24, 160),
  bs: intField(32, 4, 128),
  items: intField(0, 0, 100_000),
};

export const LRF_PREFIX = 'lrf';
