// Messages between a page and its pattern worker (pattern-worker.ts): a pattern to apply to names, then "started"
// as matching begins (the runner's time limit counts from there, not from the worker's start-up) and the result.
import type { RegexResult } from '../../lib/data/regex-labels';

export interface PatternJob {
  id: number;
  pattern: string;
  names: string[];
}

export type PatternReply = { id: number; type: 'started' } | { id: number; type: 'done'; result: RegexResult };
