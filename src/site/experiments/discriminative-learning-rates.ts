// Guided experiments of the "discriminative-learning-rates" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
