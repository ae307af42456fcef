// Guided experiments of the "presizing" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
