// Requests and their replies are paired by id: each caller hears only its own reply, events and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, FromWorker, WorkerMessage } from '../../lib/worker/protocol';

/** A stand-in for the engine worker: records what is posted and lets the test answer under any id. */
class FakeWorker {
  static last: FakeWorker | null = null;
  posted: Envelope[] = [];
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(msg: Envelope) {
    this.posted.push(msg);
  }
  say(id: number, msg: WorkerMessage) {
    this.onmessage?.({ data: { ...msg, id } as FromWorker });
  }
}

const saved = { Worker: globalThis.Worker, location: globalThis.location };
beforeAll(() => {
  Object.assign(globalThis, { Worker: FakeWorker, location: { search: '?backend=wasm' } });
});
afterAll(() => Object.assign(globalThis, saved));

describe('request', () => {
  it('resolves each request with the reply carrying its id, and gives it only its own events', async () => {
    const { request } = await import('./engine-client');
    const heardA: number[] = [];
    const heardB: number[] = [];
    const a = request({ kind: 'load-pack', url: '/a/' }, (m) => m.kind === 'progress' && heardA.push(m.done));
    const b = request({ kind: 'load-pack', url: '/b/' }, (m) => m.kind === 'progress' && heardB.push(m.done));
    const w = FakeWorker.last!;
    const [idA, idB] = w.posted.map((m) => m.id);
    expect(idA).not.toBe(idB);
    const progress = (done: number) =>
      ({ kind: 'progress', task: 'download', done, total: 10, unit: 'bytes', secondsLeft: null }) as const;
    w.say(idB!, progress(3));
    w.say(idA!, progress(7));
    const pack = (train: number): WorkerMessage => ({
      kind: 'pack',
      classes: ['a'],
      train,
      valid: 1,
      bytes: 10,
      cachedBytes: 0,
    });
    w.say(idB!, pack(2));
    w.say(idA!, pack(1));
    expect((await a).train).toBe(1);
    expect((await b).train).toBe(2);
    expect(heardA).toEqual([7]);
    expect(heardB).toEqual([3]);
  });
  it('an init carries the page backend; an error or a stop under the id rejects only that request', async () => {
    const { request, WorkerError, StoppedError } = await import('./engine-client');
    const w = FakeWorker.last!;
    const init = request({ kind: 'init' });
    const interpret = request({ kind: 'interpret', top: 4, run: 1 });
    const other = request({ kind: 'model-status' });
    const [i, j, k] = w.posted.slice(-3);
    expect(i).toMatchObject({ kind: 'init', backend: 'wasm' });
    w.say(i!.id, { kind: 'error', task: 'init', message: 'no backend' });
    w.say(j!.id, { kind: 'stopped', task: 'interpret' });
    await expect(init).rejects.toThrow(WorkerError);
    await expect(interpret).rejects.toBeInstanceOf(StoppedError);
    w.say(k!.id, { kind: 'model-status', trainedHere: false, saved: true });
    expect(await other).toMatchObject({ kind: 'model-status', saved: true });
  });
});
