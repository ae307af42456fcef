// A small worker that only applies a reader's regular expression to file names. A pattern that backtracks
// catastrophically hangs this thread, not the page's: the runner (pattern-runner.ts) terminates it after its limit.
/// <reference lib="webworker" />
import { applyPattern } from '../../lib/data/regex-labels';
import type { PatternJob, PatternReply } from './pattern-protocol';

declare const self: DedicatedWorkerGlobalScope;

const reply = (m: PatternReply) => self.postMessage(m);

self.onmessage = (e: MessageEvent<PatternJob>) => {
  const { id, pattern, names } = e.data;
  reply({ id, type: 'started' });
  reply({ id, type: 'done', result: applyPattern(pattern, names) });
};
