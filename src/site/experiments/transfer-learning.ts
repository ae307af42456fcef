// Guided experiments of the "transfer-learning" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
