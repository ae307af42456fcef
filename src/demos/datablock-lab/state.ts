// The DataBlock lab's state in the URL (keys prefixed "db.").
import { enumField, stringField, type Schema } from '../../lib/url-state';

export interface DataBlockState {
  /** The labelling regular expression, as typed. */
  pattern: string;
  /** Whether the item step resizes (crops) every image to one size. */
  resize: 'on' | 'off';
}

export const dbSchema: Schema<DataBlockState> = {
  pattern: stringField('(.+)_\\d+.jpg$', 200),
  resize: enumField<'on' | 'off'>('on', ['on', 'off']),
};

export const DB_PREFIX = 'db';
