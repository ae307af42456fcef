// The interpretation demo's state in the URL (keys prefixed "interp."): which model to look at, how many top losses
// to show and the smallest count a pair of breeds needs to be listed as confused.
import { enumField, intField, type Schema } from '../../lib/url-state';

/**
 * Which model to interpret: 'auto' takes the one trained on this page or saved in this browser, and fine-tunes the
 * pretrained body here first when there is neither; 'fine-tune' always does that first; 'as-is' never trains.
 */
export type ModelChoice = 'auto' | 'fine-tune' | 'as-is';

export interface InterpretationState {
  /** Items with the highest loss to show, as plot_top_losses(k). */
  k: number;
  /** most_confused(min_val): pairs confused at least this often. */
  min: number;
  model: ModelChoice;
  /** Training images for that first fine-tuning; 0 means all of them. */
  items: number;
}

/** The most top-loss pictures the worker sends (the largest k). */
export const MAX_TOP = 24;

export const interpretationSchema: Schema<InterpretationState> = {
  k: intField(9, 1, MAX_TOP),
  min: intField(2, 1, 20),
  model: enumField<ModelChoice>('auto', ['auto', 'fine-tune', 'as-is']),
  items: intField(0, 0, 100_000),
};

/** fine_tune(FIRST_EPOCHS) from the pretrained body when the demo trains its own model first (fastai's base_lr). */
export const FIRST_EPOCHS = 1;

export const INTERP_PREFIX = 'interp';
