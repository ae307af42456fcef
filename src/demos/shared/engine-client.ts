// The page's side of the engine worker: starts it on first use, forwards the page's ?backend= choice, and turns
// its messages into callbacks. One worker per page, shared by the demos on it.
import { isBackendName } from '../../lib/engine/backend-names';
import { backendNotice } from '../../lib/engine/backend-notice';
import type { FromWorker, ToWorker } from '../../lib/worker/protocol';

type Listener = (msg: FromWorker) => void;

/** A command the worker could not carry out; `savedKey` when the cause is the model saved under that key. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly savedKey?: string,
  ) {
    super(message);
  }
}

let worker: Worker | null = null;
const listeners = new Set<Listener>();

function start(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../../lib/worker/worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => listeners.forEach((l) => l(e.data));
  worker.onerror = (e) => listeners.forEach((l) => l({ kind: 'error', task: 'init', message: e.message || 'The engine worker failed to start.' }));
  return worker;
}

/**
 * Posts a command; an `init` gets the page's ?backend= (force a backend) and ?kernels=stock (TF.js's own WebGPU
 * kernels instead of ours) when the page has them.
 */
export function send(msg: ToWorker): void {
  if (msg.kind === 'init') {
    const page = new URLSearchParams(location.search);
    const forced = page.get('backend');
    const kernels = page.get('kernels');
    msg = { ...msg, ...(isBackendName(forced) && !msg.backend ? { backend: forced } : {}), ...(kernels === 'stock' || kernels === 'ours' ? { kernels } : {}) };
  }
  start().postMessage(msg);
}

export function listen(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A run's command ended early because the reader pressed Stop (or Reset). */
export class StoppedError extends Error {
  constructor() {
    super('Stopped.');
  }
}

let lastRun = 0;
/** A new id for a run: commands and stops that carry it belong together. */
export function newRunId(): number {
  return ++lastRun;
}

/**
 * Sends `msg` and resolves with the first reply `pick` accepts (or rejects on an error for that task, and with a
 * StoppedError when the worker says the command stopped early).
 */
export function request<T extends FromWorker>(msg: ToWorker, pick: (m: FromWorker) => m is T, onOther?: Listener): Promise<T> {
  return new Promise((resolve, reject) => {
    const stop = listen((m) => {
      if (pick(m)) {
        stop();
        resolve(m);
      } else if (m.kind === 'error' && (m.task === msg.kind || m.task === 'init')) {
        stop();
        reject(new WorkerError(m.message, m.savedKey));
      } else if (m.kind === 'stopped' && m.task === msg.kind) {
        stop();
        reject(new StoppedError());
      } else onOther?.(m);
    });
    send(msg);
  });
}

export interface EngineStart {
  backend: string;
  /**
   * What the reader should know about the backend, when anything: a forced one that could not start, a software
   * GPU passed over, no WebGPU at all ('' otherwise).
   */
  notice: string;
}

/** Starts the engine (once per page) and explains its choice of backend in one sentence. */
export async function startEngine(): Promise<EngineStart> {
  const ready = await request({ kind: 'init' }, (m): m is Extract<FromWorker, { kind: 'ready' }> => m.kind === 'ready');
  return { backend: ready.backend, notice: backendNotice(ready.backend, ready.skipped, ready.forced) };
}

/** Loads the pets pack into the worker (once per page); progress messages go to `onProgress`. */
export async function loadPets(onProgress?: (m: Extract<FromWorker, { kind: 'progress' }>) => void, url = '/data/pets/'): Promise<Extract<FromWorker, { kind: 'pack' }>> {
  return request({ kind: 'load-pack', url }, (m): m is Extract<FromWorker, { kind: 'pack' }> => m.kind === 'pack', (m) => {
    if (m.kind === 'progress') onProgress?.(m);
  });
}
