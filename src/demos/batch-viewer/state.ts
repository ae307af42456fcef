// The batch viewer's state in the URL (keys prefixed "batch.").
import { enumField, intField, numberField, type Schema } from '../../lib/url-state';

export interface BatchViewerState {
  split: 'train' | 'valid';
  seed: number;
  /** Output side in pixels. */
  size: number;
  minScale: number;
  augment: 'on' | 'off';
}

export const batchSchema: Schema<BatchViewerState> = {
  split: enumField<'train' | 'valid'>('train', ['train', 'valid']),
  seed: intField(1, 0, 1_000_000),
  size: intField(128, 32, 224),
  minScale: numberField(0.75, 0.3, 1, 2),
  augment: enumField<'on' | 'off'>('on', ['on', 'off']),
};

export const BATCH_PREFIX = 'batch';
export const BATCH_COUNT = 12;
