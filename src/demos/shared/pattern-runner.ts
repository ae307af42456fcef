// Runs a reader's regular expression over file names where it cannot hang the page: in a dedicated worker, with a
// time limit. A pattern still matching at the limit has its worker terminated (the only way to stop a running
// regex) and is reported as too slow; the next pattern gets a fresh worker. The latest pattern wins: one asked for
// while another is still running abandons that one (answered "superseded"). Invalid patterns are answered here,
// since compiling a regex is safe on the page's thread; only matching can backtrack without end.
import { compileLabelPattern, failedResult, type RegexResult } from '../../lib/data/regex-labels';
import type { PatternJob, PatternReply } from './pattern-protocol';

export type PatternOutcome =
  | { kind: 'done'; result: RegexResult }
  | { kind: 'too-slow'; limitMs: number; result: RegexResult }
  | { kind: 'superseded' }
  | { kind: 'failed'; result: RegexResult };

/** What the runner needs of a Worker (a fake stands in for one in unit tests). */
export interface WorkerLike {
  postMessage(message: PatternJob): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<PatternReply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export interface PatternRunner {
  run(pattern: string, names: readonly string[]): Promise<PatternOutcome>;
  dispose(): void;
}

export const DEFAULT_LIMIT_MS = 400;

export const tooSlowMessage = (limitMs: number) =>
  `This pattern takes too long (it may backtrack catastrophically): it was stopped after ${limitMs} ms. ` +
  'Nested repeats such as (.+)+ or (\\w+)+ are the usual cause; a single repeat, (.+), does the same job.';

const makePatternWorker = (): WorkerLike =>
  new Worker(new URL('./pattern-worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;

export function createPatternRunner(opts: { limitMs?: number; makeWorker?: () => WorkerLike } = {}): PatternRunner {
  const limitMs = opts.limitMs ?? DEFAULT_LIMIT_MS;
  const makeWorker = opts.makeWorker ?? makePatternWorker;
  let worker: WorkerLike | null = null;
  let pending: {
    id: number;
    count: number;
    resolve: (o: PatternOutcome) => void;
    timer: ReturnType<typeof setTimeout> | null;
  } | null = null;
  let nextId = 1;

  const stopWorker = () => {
    worker?.terminate();
    worker = null;
  };
  const settle = (outcome: PatternOutcome) => {
    const p = pending;
    if (!p) return;
    if (p.timer !== null) clearTimeout(p.timer);
    pending = null;
    p.resolve(outcome);
  };
  const ensureWorker = (): WorkerLike => {
    if (worker) return worker;
    const w = makeWorker();
    w.onmessage = (e) => {
      const m = e.data;
      if (w !== worker || !pending || m.id !== pending.id) return;
      if (m.type === 'started') {
        const count = pending.count;
        pending.timer = setTimeout(() => {
          stopWorker();
          settle({ kind: 'too-slow', limitMs, result: failedResult(tooSlowMessage(limitMs), count) });
        }, limitMs);
      } else settle({ kind: 'done', result: m.result });
    };
    w.onerror = (e) => {
      e.preventDefault?.();
      if (w !== worker) return;
      const count = pending?.count ?? 0;
      stopWorker();
      settle({
        kind: 'failed',
        result: failedResult(`The pattern could not be applied: ${e.message || 'its worker stopped'}.`, count),
      });
    };
    worker = w;
    return w;
  };
  const abandon = () => {
    if (!pending) return;
    // The worker may be deep in a pattern that never ends: do not wait for it.
    stopWorker();
    settle({ kind: 'superseded' });
  };

  return {
    run(pattern, names) {
      abandon();
      const compiled = compileLabelPattern(pattern);
      if (compiled.re === null)
        return Promise.resolve({ kind: 'done', result: failedResult(compiled.error, names.length) });
      const id = nextId++;
      return new Promise<PatternOutcome>((resolve) => {
        pending = { id, count: names.length, resolve, timer: null };
        ensureWorker().postMessage({ id, pattern, names: [...names] });
      });
    },
    dispose() {
      abandon();
      stopWorker();
    },
  };
}
