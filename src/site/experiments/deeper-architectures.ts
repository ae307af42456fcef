// Guided experiments of the "deeper-architectures" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [];
