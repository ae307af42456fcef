// The engine's worker: one command at a time from the page, each answered under its request id by the handler its
// kind has in HANDLERS (the compiler checks there is one for every command). Stop, pause and resume act at once. The session
// holds what the page set up; tasks.ts does the looking jobs; model-policy.ts says which model and in what words.
/// <reference lib="webworker" />
import { saveWeights, parseWeights, loadWeights } from '../model/weights';
import { PredictionStopped } from '../train/learner';
import { putWeights, getWeights, hasWeights, deleteWeights } from './model-store';
import { SavedModelError, SAVED_KEY } from './model-policy';
import { Session } from './session';
import { getItem, interpret, predictItem, sendFeatureMaps, showBatch, type Transferred } from './tasks';
import type {
  CommandKind,
  CommandOf,
  Control,
  Envelope,
  FromWorker,
  ReplyTo,
  RunEvent,
  WorkerMessage,
} from './protocol';

import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
};

/** The request being handled: its reply and everything it causes go back with its id. */
let current = 0;
const post = (msg: WorkerMessage, transfer: Transferable[] = []) =>
  self.postMessage({ ...msg, id: current } satisfies FromWorker, transfer);
const emit = (event: RunEvent) => post(event);
const session = new Session(emit);

/** A command of a stopped run ended before it finished. */
class RunStopped extends Error {}

type Handler<K extends CommandKind> = (msg: CommandOf<K>) => Promise<ReplyTo<K> | Transferred<ReplyTo<K>>>;

/** Saves the current model as a weights file, with what it is. */
const modelBytes = () =>
  saveWeights(session.needLearner().model, { arch: session.spec?.arch ?? '', size: session.spec?.size ?? 0 });

const HANDLERS: { [K in CommandKind]: Handler<K> } = {
  async init(msg) {
    if (!session.choice && msg.kernels) (await import('../kernels/switches')).setKernelSet(msg.kernels);
    const choice = await session.start(msg.backend, WASM_PATHS, msg.threads);
    // Every demo on the page hears how the backend was chosen, not only the first to start it.
    return {
      kind: 'ready',
      backend: choice.name,
      skipped: choice.skipped,
      ...(session.forced ? { forced: session.forced } : {}),
      ...(choice.wasm ? { wasm: choice.wasm } : {}),
    };
  },
  async 'load-pack'(msg) {
    const pack = await session.loadPack(msg.url);
    const bytes = pack.manifest.shards.reduce((s, x) => s + x.bytes, 0);
    const train = pack.manifest.images.filter((im) => im.split === 'train').length;
    return {
      kind: 'pack',
      classes: pack.manifest.classes,
      train,
      valid: pack.manifest.images.length - train,
      bytes,
      cachedBytes: session.packCachedBytes,
    };
  },
  'show-batch': (msg) => showBatch(session, msg, emit),
  'get-item': (msg) => getItem(session, msg.name),
  'predict-item': (msg) => predictItem(session, msg.name),
  'feature-maps': (msg) => sendFeatureMaps(session, msg),
  async 'model-status'() {
    const saved = await hasWeights(SAVED_KEY).catch(() => false);
    return { kind: 'model-status', trainedHere: (session.learner?.recorder.batches.length ?? 0) > 0, saved };
  },
  async interpret(msg) {
    if (session.isStopped(msg.run)) throw new RunStopped();
    return interpret(session, msg.top, msg.run, emit);
  },
  'new-model': (msg) => session.newModel(msg),
  async train(msg) {
    const learn = session.needLearner();
    const started = performance.now();
    const from = learn.recorder.epochs.length;
    session.activeRun = msg.run;
    // Checked and started in one turn of the event loop, so a stop cannot fall between the two.
    const outcome = session.isStopped(msg.run)
      ? 'requested'
      : msg.method === 'fine_tune'
        ? await learn.fineTune(msg.epochs, typeof msg.lr === 'number' ? msg.lr : msg.lr.stop, {
            ...(msg.freezeEpochs === undefined ? {} : { freezeEpochs: msg.freezeEpochs }),
            ...(msg.lrMult === undefined ? {} : { lrMult: msg.lrMult }),
          })
        : msg.method === 'fit'
          ? await learn.fit(msg.epochs, msg.lr)
          : await learn.fitOneCycle(msg.epochs, msg.lr);
    return {
      kind: 'trained',
      outcome,
      epochs: learn.recorder.epochs.slice(from),
      seconds: (performance.now() - started) / 1000,
    };
  },
  async 'lr-find'(msg) {
    const learn = session.needLearner();
    session.activeRun = msg.run;
    // lrFind clears an earlier stop request when it starts: a stop that came first is applied on its first batch.
    const found = learn.lrFind({ startLr: msg.startLr, endLr: msg.endLr, numIt: msg.numIt });
    if (session.isStopped(msg.run)) learn.stop();
    return { kind: 'lr-found', result: await found };
  },
  async 'bench-train'(msg) {
    const { benchTraining } = await import('../bench/train-bench');
    const { kind: _, run, pauseAfterSteps, ...options } = msg;
    if (session.isStopped(run)) throw new RunStopped();
    session.activeRun = run;
    // Paused here and resumed by the page (or by a stop, which the next step's check then sees).
    const afterStep =
      pauseAfterSteps && run !== undefined
        ? async () => {
            session.pause(run, true);
            emit({ kind: 'bench-paused' });
            await session.whilePaused();
          }
        : undefined;
    const results = await benchTraining(
      afterStep ? { ...options, afterStep } : options,
      (what) => emit({ kind: 'bench-progress', what }),
      () => session.isStopped(run),
    );
    if (!results) throw new RunStopped();
    const threads = session.choice?.wasm?.threads;
    return { kind: 'bench-trained', results: results.map((r) => (threads ? { ...r, threads } : r)) };
  },
  async 'save-model'(msg) {
    const bytes = await modelBytes();
    await putWeights(msg.key, bytes);
    return { kind: 'model-saved', key: msg.key, bytes: bytes.length };
  },
  async 'load-model'(msg) {
    const bytes = await getWeights(msg.key);
    if (bytes !== undefined) {
      let parsed;
      try {
        parsed = parseWeights(bytes, 'the model saved in this browser');
      } catch (error) {
        throw new SavedModelError((error as Error).message, msg.key);
      }
      loadWeights(session.needLearner().model, parsed);
    }
    return { kind: 'model-loaded', key: msg.key, found: bytes !== undefined };
  },
  async 'export-model'() {
    const bytes = await modelBytes();
    return { reply: { kind: 'model-file', bytes }, transfer: [bytes.buffer] };
  },
  async 'import-model'(msg) {
    loadWeights(session.needLearner().model, parseWeights(msg.bytes, 'the file'));
    return { kind: 'model-loaded', key: 'file', found: true };
  },
  async 'forget-model'(msg) {
    await deleteWeights(msg.key);
    return { kind: 'model-forgotten', key: msg.key };
  },
};

async function handle<K extends CommandKind>(msg: CommandOf<K> & { id: number }): Promise<void> {
  current = msg.id;
  try {
    const answer = await (HANDLERS[msg.kind] as Handler<K>)(msg);
    if ('transfer' in answer && 'reply' in answer) post(answer.reply, answer.transfer);
    else post(answer);
  } catch (error) {
    if (error instanceof PredictionStopped || error instanceof RunStopped) post({ kind: 'stopped', task: msg.kind });
    else
      post({
        kind: 'error',
        task: msg.kind,
        message: (error as Error).message,
        ...(error instanceof SavedModelError ? { savedKey: error.key } : {}),
      });
  } finally {
    if (msg.kind === 'train' || msg.kind === 'lr-find' || msg.kind === 'bench-train') session.activeRun = undefined;
  }
}

// One command at a time, in the order they came: a second init must not race the first.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<Control | Envelope>) => {
  const msg = event.data;
  if (msg.kind === 'stop') session.stop(msg.run);
  else if (msg.kind === 'pause' || msg.kind === 'resume') session.pause(msg.run, msg.kind === 'pause');
  else queue = queue.then(() => handle(msg));
};
