// The page's side of the engine worker: starts it on first use, forwards the page's ?backend= choice, and turns
// its replies into promises, each request hearing only its own messages. One worker per page, shared by its demos.
import { isBackendName } from '../../lib/engine/backend-names';
import { backendNotice } from '../../lib/engine/backend-notice';
import { wasmThreadsWanted } from '../../lib/engine/wasm-threads';
import type { Command, Envelope, FromWorker, ReplyTo, RunEvent, ToWorker } from '../../lib/worker/protocol';

/** A command the worker could not carry out; `savedKey` when the cause is the model saved under that key. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly savedKey?: string,
  ) {
    super(message);
  }
}

/** A run's command ended early because the reader pressed Stop (or Reset). */
export class StoppedError extends Error {
  constructor() {
    super('Stopped.');
  }
}

let worker: Worker | null = null;
let lastRequest = 0;
/** The requests waiting for their reply, by id: each hears only the messages that carry its id. */
const pending = new Map<number, (msg: FromWorker) => void>();

function start(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../../lib/worker/worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => pending.get(e.data.id)?.(e.data);
  // A worker that cannot start fails every request waiting on it.
  worker.onerror = (e) => {
    const message = e.message || 'The engine worker failed to start.';
    for (const [id, hear] of [...pending]) hear({ kind: 'error', task: 'init', message, id });
  };
  return worker;
}

/**
 * An `init` gets the page's ?backend= (force a backend) and ?kernels=stock (TF.js's own kernels) when it has them, and
 * the threads wasm is to compute on (every core, or ?threads=N).
 */
function withPageOptions(msg: Command): Command {
  if (msg.kind !== 'init') return msg;
  const page = new URLSearchParams(location.search);
  const forced = page.get('backend');
  const kernels = page.get('kernels');
  return {
    ...msg,
    ...(isBackendName(forced) && !msg.backend ? { backend: forced } : {}),
    ...(kernels === 'stock' || kernels === 'ours' ? { kernels } : {}),
    threads: wasmThreadsWanted(page.get('threads'), navigator.hardwareConcurrency),
  };
}

const EVENTS = new Set<FromWorker['kind']>([
  'progress',
  'phase',
  'step',
  'epoch',
  'bench-progress',
  'bench-paused',
] satisfies RunEvent['kind'][]);
const isEvent = (m: FromWorker): m is FromWorker & RunEvent => EVENTS.has(m.kind);

/**
 * Sends a command and resolves with its reply (the kind protocol.ts's REPLY pairs with it); rejects with a WorkerError
 * when the worker reports a failure of it, and with a StoppedError when it ended early on a Stop. What the command
 * causes on the way (progress, steps, epochs) goes to `onEvent`; messages of other requests never reach it. The
 * worker answers each request once, after its events, so the first other message under its id is the reply.
 */
export function request<C extends Command>(msg: C, onEvent?: (event: RunEvent) => void): Promise<ReplyTo<C['kind']>> {
  const id = ++lastRequest;
  return new Promise((resolve, reject) => {
    pending.set(id, (m) => {
      if (isEvent(m)) return onEvent?.(m);
      pending.delete(id);
      if (m.kind === 'error') reject(new WorkerError(m.message, m.savedKey));
      else if (m.kind === 'stopped') reject(new StoppedError());
      else resolve(m as unknown as ReplyTo<C['kind']>);
    });
    start().postMessage({ ...withPageOptions(msg), id } satisfies Envelope);
  });
}

/** Asks the worker to stop run `run` (without one: whatever trains now). Handled at once, even while training. */
export function sendStop(run?: number): void {
  start().postMessage({ kind: 'stop', ...(run === undefined ? {} : { run }) } satisfies ToWorker);
}

/** Pauses run `run`'s training before its next batch, or lets it go on. */
export function sendPause(run: number, paused: boolean): void {
  start().postMessage({ kind: paused ? 'pause' : 'resume', run } satisfies ToWorker);
}

let lastRun = 0;
/** A new id for a run: commands and stops that carry it belong together. */
export function newRunId(): number {
  return ++lastRun;
}

export interface EngineStart {
  backend: string;
  /**
   * What the reader should know about the backend, when anything: a forced one that could not start, a software
   * GPU passed over, no WebGPU at all; on wasm, its threads ('' otherwise).
   */
  notice: string;
}

/** Starts the engine (once per page) and explains its choice of backend in one sentence. */
export async function startEngine(): Promise<EngineStart> {
  const ready = await request({ kind: 'init' });
  return { backend: ready.backend, notice: backendNotice(ready.backend, ready.skipped, ready.forced, ready.wasm) };
}

/** Loads the pets pack into the worker (once per page); progress messages go to `onProgress`. */
export async function loadPets(
  onProgress?: (m: Extract<RunEvent, { kind: 'progress' }>) => void,
  url = '/data/pets/',
): Promise<ReplyTo<'load-pack'>> {
  return request({ kind: 'load-pack', url }, (m) => {
    if (m.kind === 'progress') onProgress?.(m);
  });
}
