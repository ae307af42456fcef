// Guided experiments of the "cross-entropy" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
