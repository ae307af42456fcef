// The pattern runner's rules with a fake worker: answers in time are passed on, a pattern still running at the limit
// gets its worker terminated and the "too long" message, the next pattern gets a fresh worker, the latest wins.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyPattern } from '../../lib/data/regex-labels';
import type { PatternJob, PatternReply } from './pattern-protocol';
import { createPatternRunner, type WorkerLike } from './pattern-runner';

/** A worker that answers like pattern-worker.ts, except that a pattern listed in `hangs` starts and never ends. */
class FakeWorker implements WorkerLike {
  static made: FakeWorker[] = [];
  onmessage: ((e: MessageEvent<PatternReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor(private hangs: string[]) {
    FakeWorker.made.push(this);
  }
  postMessage(job: PatternJob): void {
    const send = (m: PatternReply) =>
      setTimeout(() => !this.terminated && this.onmessage?.({ data: m } as MessageEvent<PatternReply>), 1);
    send({ id: job.id, type: 'started' });
    if (!this.hangs.includes(job.pattern))
      send({ id: job.id, type: 'done', result: applyPattern(job.pattern, job.names) });
  }
  terminate(): void {
    this.terminated = true;
  }
}

const names = ['Birman_1.jpg', 'great_pyrenees_17.jpg'];
const HOSTILE = '(.+)+z';

beforeEach(() => {
  FakeWorker.made = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const runner = () => createPatternRunner({ limitMs: 300, makeWorker: () => new FakeWorker([HOSTILE]) });

describe('createPatternRunner', () => {
  it('passes on the labels of a pattern that finishes in time, reusing one worker', async () => {
    const r = runner();
    const a = r.run('(.+)_\\d+.jpg$', names);
    await vi.advanceTimersByTimeAsync(5);
    expect(await a).toEqual({ kind: 'done', result: applyPattern('(.+)_\\d+.jpg$', names) });
    const b = r.run('^(.+?)_', names);
    await vi.advanceTimersByTimeAsync(5);
    expect(((await b) as { result: { labels: unknown } }).result.labels).toEqual(['Birman', 'great']);
    expect(FakeWorker.made).toHaveLength(1);
  });

  it('stops a pattern still running at the limit, says why, and starts a fresh worker for the next', async () => {
    const r = runner();
    let outcome: unknown = null;
    void r.run(HOSTILE, names).then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(250);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(60);
    expect(outcome).toMatchObject({ kind: 'too-slow', limitMs: 300, result: { labels: [null, null], unmatched: 2 } });
    expect((outcome as { result: { error: string } }).result.error).toMatch(
      /^This pattern takes too long \(it may backtrack catastrophically\)/,
    );
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    const next = r.run('(.+)_\\d+.jpg$', names);
    await vi.advanceTimersByTimeAsync(5);
    expect(((await next) as { result: { labels: unknown } }).result.labels).toEqual(['Birman', 'great_pyrenees']);
    expect(FakeWorker.made).toHaveLength(2);
  });

  it('the latest pattern wins: asking again abandons a running one without waiting for its limit', async () => {
    const r = runner();
    const first = r.run(HOSTILE, names);
    await vi.advanceTimersByTimeAsync(5);
    const second = r.run('(.+)_\\d+.jpg$', names);
    expect(await first).toEqual({ kind: 'superseded' });
    await vi.advanceTimersByTimeAsync(5);
    expect((await second).kind).toBe('done');
    expect(FakeWorker.made[0]!.terminated).toBe(true);
  });

  it('answers an invalid pattern at once, without a worker', async () => {
    const r = runner();
    const o = await r.run('(.+_\\d+', names);
    expect(o).toMatchObject({
      kind: 'done',
      result: { error: expect.stringMatching(/^Not a valid regular expression/) },
    });
    expect(FakeWorker.made).toHaveLength(0);
  });

  it('a worker that fails is reported in words and replaced', async () => {
    const r = createPatternRunner({
      limitMs: 300,
      makeWorker: () => {
        const w = new FakeWorker([]);
        w.postMessage = () =>
          setTimeout(() => w.onerror?.({ message: 'script failed to load', preventDefault() {} } as ErrorEvent), 1);
        return w;
      },
    });
    const o = r.run('a', names);
    await vi.advanceTimersByTimeAsync(5);
    expect(await o).toMatchObject({
      kind: 'failed',
      result: { error: 'The pattern could not be applied: script failed to load.' },
    });
    void r.run('a', names);
    expect(FakeWorker.made).toHaveLength(2);
    r.dispose();
    expect(FakeWorker.made[1]!.terminated).toBe(true);
  });
});
