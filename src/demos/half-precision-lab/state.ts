// The half-precision lab's state in the URL (keys prefixed "fp16.").
import { intField, numberField, type Schema } from '../../lib/url-state';

export interface HalfPrecisionState {
  /** A number to look at in float16. */
  x: number;
  /** log10 of a gradient's magnitude. */
  grad: number;
  /** log2 of the loss scale. */
  scale: number;
  /** log10 of the size of each weight update. */
  update: number;
  /** How many updates to apply. */
  steps: number;
}

export const halfPrecisionSchema: Schema<HalfPrecisionState> = {
  x: numberField(0.1, -100_000, 100_000, 8),
  grad: numberField(-8, -10, -1, 2),
  scale: intField(16, 0, 24),
  update: numberField(-4, -6, -2, 2),
  steps: intField(200, 10, 2000),
};

export const FP16_PREFIX = 'fp16';
