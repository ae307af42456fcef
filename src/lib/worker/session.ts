// The worker's session: what one page has set up in it (the backend, the pack, the current model and its data, the
// runs the page stopped), and building or restoring the model the page's demos share.
import { initBackend, type BackendChoice } from '../engine/backend';
import type { BackendName } from '../engine/backend-names';
import { loadPack, type LoadedPack } from '../data/pack-loader';
import { packDataSource } from '../data/pack-source';
import { archConfig } from '../model/archs';
import { buildResNet, countParams, disposeModel, type ResNet } from '../model/resnet-s';
import { loadWeights, parseWeights, type ParsedWeights } from '../model/weights';
import { Learner } from '../train/learner';
import type { Batch, DataSource } from '../train/data-source';
import { packOptionsFor } from '../train/quick-run';
import { guessBatchSeconds } from '../train/batch-cost';
import { getBatchSeconds, getWeights, putBatchSeconds } from './model-store';
import { decodeRgba } from './images';
import { describeModel, LOOK_MODEL, readSavedModel, SavedModelError, SAVED_KEY } from './model-policy';
import { secondsLeft, type ModelRequest, type ReplyTo, type RunEvent } from './protocol';

/** Decoded training images kept in memory per model (decoding is the slow part on a CPU). */
const CACHE_BYTES = 192 << 20;

export class Session {
  choice: BackendChoice | null = null;
  /** The backend the page forced, if it did. */
  forced: BackendName | undefined;
  pack: LoadedPack | null = null;
  /** How many of the pack's bytes came from the Cache API rather than the network when it was loaded. */
  packCachedBytes = 0;
  learner: Learner | null = null;
  spec: ModelRequest | null = null;
  /** What the current model is now, and where it started from before any training on this page. */
  source = '';
  origin = '';
  /** Runs the page has stopped, and the run whose training command is in progress. */
  readonly stoppedRuns = new Set<number>();
  activeRun: number | undefined;
  /** Pretrained weights by URL, fetched once per page; the feature-map demo's own models by body and URL. */
  readonly #pretrained = new Map<string, Promise<ParsedWeights>>();
  readonly #bodyModels = new Map<string, ResNet>();

  /** `emit` sends what a command causes (steps, progress) under the id of the command being handled. */
  constructor(private readonly emit: (event: RunEvent) => void) {}

  isStopped(run: number | undefined): boolean {
    return run !== undefined && this.stoppedRuns.has(run);
  }

  /** A stop for `run` (without one: whatever trains now); the training in progress stops after its batch. */
  stop(run: number | undefined): void {
    if (run !== undefined) this.stoppedRuns.add(run);
    if (run === undefined || run === this.activeRun) this.learner?.stop();
    // A paused run goes on to its batch, which sees the stop.
    if (run === undefined) this.#pausedRuns.clear();
    else this.#pausedRuns.delete(run);
    this.#wake();
  }

  readonly #pausedRuns = new Set<number>();
  #waiting: (() => void)[] = [];

  /** Pauses `run`'s training before its next batch, or lets it go on. */
  pause(run: number, paused: boolean): void {
    if (paused && !this.isStopped(run)) this.#pausedRuns.add(run);
    else {
      this.#pausedRuns.delete(run);
      this.#wake();
    }
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const go of waiting) go();
  }

  /** Resolves once the run in progress is not paused. */
  async whilePaused(): Promise<void> {
    while (this.activeRun !== undefined && this.#pausedRuns.has(this.activeRun))
      await new Promise<void>((go) => this.#waiting.push(go));
  }

  async start(
    backend: BackendName | undefined,
    wasmPaths: Record<string, string>,
    threads?: number,
  ): Promise<BackendChoice> {
    if (!this.choice) {
      this.forced = backend;
      this.choice = await initBackend(backend, wasmPaths, threads);
    }
    return this.choice;
  }

  async loadPack(url: string): Promise<LoadedPack> {
    if (!this.pack) {
      const started = performance.now();
      this.pack = await loadPack(url, (p) => {
        this.packCachedBytes = p.cached;
        this.emit({
          kind: 'progress',
          task: 'download',
          done: p.loaded,
          total: p.total,
          unit: 'bytes',
          secondsLeft: secondsLeft(p.loaded - p.cached, p.total - p.cached, performance.now() - started),
        });
      });
    }
    return this.pack;
  }

  needPack(): LoadedPack {
    if (!this.pack) throw new Error('The data pack is not loaded yet.');
    return this.pack;
  }

  needLearner(): Learner {
    if (!this.learner) throw new Error('There is no model yet.');
    return this.learner;
  }

  /** Pretrained weights by URL; a failed fetch is not remembered, so the next run tries again. */
  pretrainedWeights(url: string): Promise<ParsedWeights> {
    let p = this.#pretrained.get(url);
    if (!p) {
      p = fetchWeights(url);
      p.catch(() => this.#pretrained.delete(url));
      this.#pretrained.set(url, p);
    }
    return p;
  }

  /** The feature-map demo's own model (the page's model is left alone), built once per page. */
  async bodyModel(body: 'pretrained' | 'random', url: string): Promise<ResNet> {
    const key = `${body} ${url}`;
    const cached = this.#bodyModels.get(key);
    if (cached) return cached;
    const weights = await this.pretrainedWeights(url);
    const model = buildResNet(weights.header.config, 42);
    if (body === 'pretrained') loadWeights(model, weights);
    this.#bodyModels.set(key, model);
    return model;
  }

  #dropModel(): void {
    if (!this.learner) return;
    this.learner.dispose();
    disposeModel(this.learner.model);
    this.learner = null;
  }

  /** A fresh model and its data; the previous model is dropped only once the pretrained body (if any) is here. */
  async newModel(req: ModelRequest): Promise<ReplyTo<'new-model'>> {
    const body = req.pretrained ? await this.pretrainedWeights(req.pretrained) : null;
    const pack = this.needPack();
    this.#dropModel();
    const trainInPack = pack.manifest.images.filter((im) => im.split === 'train').length;
    const { quick, options } = packOptionsFor(req, trainInPack, pack.manifest.images.length - trainInPack, CACHE_BYTES);
    const data = pausable(packDataSource(pack, decodeRgba, options), () => this.whilePaused());
    const cost = this.choice
      ? { backend: this.choice.name, arch: req.arch, size: req.size, batch: quick.batchSize }
      : null;
    const costKey = cost ? `${cost.backend}:${cost.arch}:${cost.size}:${cost.batch}` : null;
    const earlier = costKey ? await getBatchSeconds(costKey).catch(() => null) : null;
    const guess = cost ? guessBatchSeconds(cost, pack.manifest.classes.length) : null;
    const model = buildResNet(archConfig(req.arch, pack.manifest.classes.length), req.seed);
    const learner = new Learner(model, data);
    this.learner = learner;
    this.spec = req;
    this.source = describeModel.untrained(req.arch);
    if (body) {
      loadWeights(model, body, { body: true });
      this.source = describeModel.pretrained(req.arch, body.header.meta['dataset']);
    }
    this.origin = this.source;
    this.#reportTraining(learner, costKey);
    return {
      kind: 'model',
      arch: req.arch,
      params: countParams(model, ['conv', 'bn-weight', 'bn-bias', 'dense-weight', 'dense-bias']),
      trainBatches: data.trainBatchCount(),
      classes: pack.manifest.classes.length,
      source: this.source,
      batchSize: quick.batchSize,
      batchNote: quick.note,
      trainItems: quick.train,
      validItems: quick.valid,
      validTotal: quick.validTotal,
      batchSeconds:
        earlier !== null
          ? { seconds: earlier, basis: 'earlier' }
          : guess !== null
            ? { seconds: guess, basis: 'guess' }
            : null,
    };
  }

  /** Phases, steps (with the phase's time left) and epochs, sent as they happen; a phase's seconds per batch are kept. */
  #reportTraining(learner: Learner, costKey: string | null): void {
    let started = 0;
    let done = 0;
    let total = 0;
    learner.on((e) => {
      if (e.kind === 'phase') {
        started = performance.now();
        done = 0;
        total = e.epochs * e.stepsPerEpoch;
        this.emit({ kind: 'phase', name: e.name, epochs: e.epochs, stepsPerEpoch: e.stepsPerEpoch });
      } else if (e.kind === 'batch') {
        done++;
        this.emit({
          kind: 'step',
          record: e.record,
          stepInEpoch: e.stepInEpoch,
          stepsInEpoch: e.stepsInEpoch,
          secondsLeft: secondsLeft(done, total, performance.now() - started),
        });
      } else if (e.kind === 'epoch') {
        if (costKey && done > 0) putBatchSeconds(costKey, (performance.now() - started) / 1000 / done).catch(() => {});
        this.emit({ kind: 'epoch', record: e.record });
      }
    });
  }

  /**
   * The model a reader-facing demo should look at: the one trained on this page if there is one, else the one saved
   * in this browser by another chapter, else an untrained model (random weights). Sets `source` to say which.
   */
  async ensureModel(): Promise<Learner> {
    if (this.learner) {
      const batches = this.learner.recorder.batches.length;
      if (batches > 0) this.source = describeModel.trainedHere(this.origin, batches);
      return this.learner;
    }
    const bytes = await getWeights(SAVED_KEY).catch(() => undefined);
    // Checked whole before any model is built: no untrained model is left behind in place of one that cannot be used.
    const saved = bytes === undefined ? null : readSavedModel(bytes, SAVED_KEY, this.pack?.manifest.classes.length);
    await this.newModel({ ...LOOK_MODEL, arch: saved?.arch ?? LOOK_MODEL.arch, size: saved?.size ?? LOOK_MODEL.size });
    const learner = this.needLearner();
    if (saved) {
      try {
        loadWeights(learner.model, saved.weights);
      } catch (error) {
        this.#dropModel();
        throw new SavedModelError(
          `The model saved in this browser cannot be used: ${(error as Error).message}`,
          SAVED_KEY,
        );
      }
      this.source = this.origin = describeModel.saved(saved.arch);
    }
    return learner;
  }
}

/** `data` whose training batches each wait for `gate` first: a paused run waits there, between two batches. */
function pausable<D extends DataSource>(data: D, gate: () => Promise<void>): D {
  const trainBatches = data.trainBatches.bind(data);
  return Object.assign(Object.create(data) as D, {
    async *trainBatches(epoch: number): AsyncIterable<Batch> {
      for await (const batch of trainBatches(epoch)) {
        await gate();
        yield batch;
      }
    },
  });
}

async function fetchWeights(url: string): Promise<ParsedWeights> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The pretrained weights ${url} could not be fetched (HTTP ${res.status}).`);
  return parseWeights(new Uint8Array(await res.arrayBuffer()), `the pretrained weights ${url}`);
}
