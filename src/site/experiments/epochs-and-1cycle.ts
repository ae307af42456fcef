// Guided experiments of the "epochs-and-1cycle" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
