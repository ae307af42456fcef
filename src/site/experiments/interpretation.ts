// Guided experiments of the "interpretation" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
