// Guided experiments of the "lr-finder" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
