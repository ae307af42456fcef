// The cross-entropy lab's state in the URL (keys prefixed "ce.").
import { intField, numberListField, type Schema } from '../../lib/url-state';

export interface CrossEntropyState {
  acts: number[];
  target: number;
}

export const ceSchema: Schema<CrossEntropyState> = {
  acts: numberListField([1.2, -0.4, 2.1], -6, 6, 2, 10, 4),
  target: intField(0, 0, 9),
};

export const CE_PREFIX = 'ce';
