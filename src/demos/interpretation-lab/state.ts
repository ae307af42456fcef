// The interpretation demo's state in the URL (keys prefixed "interp."): how many top losses to show and the smallest
// count a pair of breeds needs to be listed as confused.
import { intField, type Schema } from '../../lib/url-state';

export interface InterpretationState {
  /** Items with the highest loss to show, as plot_top_losses(k). */
  k: number;
  /** most_confused(min_val): pairs confused at least this often. */
  min: number;
}

/** The most top-loss pictures the worker sends (the largest k). */
export const MAX_TOP = 24;

export const interpretationSchema: Schema<InterpretationState> = {
  k: intField(9, 1, MAX_TOP),
  min: intField(2, 1, 20),
};

export const INTERP_PREFIX = 'interp';
