// The softmax lab's state, as it appears in the URL (keys prefixed "softmax.").
import { numberField, numberListField, type Schema } from '../../lib/url-state';

export interface SoftmaxState {
  /** Two to ten activations, one per class. */
  acts: number[];
  /** Activations are divided by this before softmax. */
  temp: number;
  /** Added to every activation: softmax must not change. */
  shift: number;
}

export const ACT_MIN = -6;
export const ACT_MAX = 6;
export const MIN_CLASSES = 2;
export const MAX_CLASSES = 10;

export const softmaxSchema: Schema<SoftmaxState> = {
  acts: numberListField([0.6734, 0.2576, -0.8], ACT_MIN, ACT_MAX, MIN_CLASSES, MAX_CLASSES, 4),
  temp: numberField(1, 0.1, 5, 2),
  shift: numberField(0, -5, 5, 2),
};

export const SOFTMAX_PREFIX = 'softmax';
