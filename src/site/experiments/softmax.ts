// Guided experiments of the "softmax" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
