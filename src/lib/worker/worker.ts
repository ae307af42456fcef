// The engine's worker: picks a TF.js backend, loads the data pack, and builds batches (decode, item step, batch
// step on the GPU). The page stays responsive because all of this happens here.
/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../engine/backend';
import { loadPack, type LoadedPack } from '../data/pack-loader';
import { imageBytes } from '../data/manifest';
import { seededRng, shuffled } from '../data/rng';
import { NO_AUG, augOptions, drawAug } from '../data/augment';
import { augmentBatch } from '../data/gpu-augment';
import { normalize } from '../train/data-source';
import { secondsLeft, type BatchRequest, type Envelope, type FromWorker, type ModelRequest, type ToWorker, type WorkerMessage } from './protocol';
import { cropItem, packDataSource, stackItems, type DecodedImage } from '../data/pack-source';
import { topLosses } from '../train/interpret';
import { archConfig } from '../model/archs';
import { buildResNet, countParams, disposeModel, forward, type ResNet } from '../model/resnet-s';
import { loadWeights, parseWeights, saveWeights, WeightsError, type ParsedWeights } from '../model/weights';
import { Learner, PredictionStopped, predictAll } from '../train/learner';
import { quickRunData } from '../train/quick-run';
import type { BackendChoice } from '../engine/backend';
import { putWeights, getWeights, hasWeights, deleteWeights } from './model-store';
import { featureMaps } from '../model/feature-maps';
import { IMAGENETTE_CLASSES } from '../model/imagenette-classes';
import { softmax } from '../maths/probabilities';

import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
};

let backend: BackendName | null = null;
/** How the backend was chosen (what every page demo's notice is made from), and the one the page forced. */
let choice: BackendChoice | null = null;
let forcedBackend: BackendName | undefined;
/** Runs the page has stopped, and the run whose training command is in progress. */
const stoppedRuns = new Set<number>();
let activeRun: number | undefined;
const isStopped = (run: number | undefined) => run !== undefined && stoppedRuns.has(run);
let pack: LoadedPack | null = null;
/** How many of the pack's bytes came from the Cache API rather than the network when it was loaded. */
let packCachedBytes = 0;
let learner: Learner | null = null;
let modelSpec: ModelRequest | null = null;
let modelSource = '';
/** Where the current model started from, before any training on this page (modelSource says what it is now). */
let modelOrigin = '';
/** Side of the top-loss pictures sent with an interpretation. */
const THUMB = 96;

/** The request being handled (one at a time): its reply and everything it causes go back with its id. */
let current = 0;
const post = (msg: WorkerMessage, transfer: Transferable[] = []) => self.postMessage({ ...msg, id: current } satisfies FromWorker, transfer);

/** Decodes one stored JPEG to RGBA pixels. */
async function decodeRgba(bytes: Uint8Array): Promise<DecodedImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { data: data.data, width: data.width, height: data.height, channels: 4 };
}

function needLearner(): Learner {
  if (!learner) throw new Error('There is no model yet.');
  return learner;
}

/** Pretrained weights by URL, fetched once per page. */
const pretrainedFiles = new Map<string, Promise<ParsedWeights>>();

async function fetchWeights(url: string): Promise<ParsedWeights> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The pretrained weights ${url} could not be fetched (HTTP ${res.status}).`);
  return parseWeights(new Uint8Array(await res.arrayBuffer()), `the pretrained weights ${url}`);
}

function pretrainedWeights(url: string): Promise<ParsedWeights> {
  let p = pretrainedFiles.get(url);
  if (!p) {
    p = fetchWeights(url);
    // A failed fetch is not remembered: the next run tries again.
    p.catch(() => pretrainedFiles.delete(url));
    pretrainedFiles.set(url, p);
  }
  return p;
}

async function newModel(req: ModelRequest): Promise<void> {
  // Fetched before the old model is dropped, so a missing file leaves everything as it was.
  const body = req.pretrained ? await pretrainedWeights(req.pretrained) : null;
  if (!pack) throw new Error('The data pack is not loaded yet.');
  if (learner) {
    learner.dispose();
    disposeModel(learner.model);
  }
  const trainInPack = pack.manifest.images.filter((im) => im.split === 'train').length;
  const quick = quickRunData(req.batchSize, trainInPack, pack.manifest.images.length - trainInPack, req.maxTrain);
  const data = packDataSource(pack, decodeRgba, { batchSize: quick.batchSize, size: req.size, minScale: 0.75, augment: true, seed: req.seed, maxTrain: req.maxTrain, maxValid: req.maxTrain === undefined ? undefined : quick.valid, cacheBytes: 192 << 20 });
  const model: ResNet = buildResNet(archConfig(req.arch, pack.manifest.classes.length), req.seed);
  learner = new Learner(model, data);
  modelSpec = req;
  modelSource = `an untrained ${req.arch} (random weights)`;
  if (body) {
    loadWeights(model, body, { body: true });
    const from = body.header.meta['dataset'];
    modelSource = `a ${req.arch} with a body pretrained on ${typeof from === 'string' && from ? from : 'other images'} and a new head`;
  }
  let started = 0;
  let done = 0;
  let total = 0;
  learner.on((e) => {
    if (e.kind === 'phase') {
      started = performance.now();
      done = 0;
      total = e.epochs * e.stepsPerEpoch;
      post({ kind: 'phase', name: e.name, epochs: e.epochs, stepsPerEpoch: e.stepsPerEpoch });
    } else if (e.kind === 'batch') {
      done++;
      post({ kind: 'step', record: e.record, stepInEpoch: e.stepInEpoch, stepsInEpoch: e.stepsInEpoch, secondsLeft: secondsLeft(done, total, performance.now() - started) });
    } else if (e.kind === 'epoch') post({ kind: 'epoch', record: e.record });
  });
  modelOrigin = modelSource;
  post({
    kind: 'model',
    arch: req.arch,
    params: countParams(model, ['conv', 'bn-weight', 'bn-bias', 'dense-weight', 'dense-bias']),
    trainBatches: data.trainBatchCount(),
    classes: pack.manifest.classes.length,
    source: modelSource,
    batchSize: quick.batchSize,
    batchNote: quick.note,
    trainItems: quick.train,
    validItems: quick.valid,
    validTotal: quick.validTotal,
  });
}

async function showBatch(req: BatchRequest): Promise<void> {
  if (!pack) throw new Error('The data pack is not loaded yet.');
  const { manifest, shards } = pack;
  const rng = seededRng(req.seed);
  const pool = manifest.images.map((im, i) => ({ im, i })).filter((x) => x.im.split === req.split);
  if (pool.length === 0) throw new Error(`The pack has no ${req.split} images.`);
  const picked = shuffled(pool, rng).slice(0, req.count);
  const started = performance.now();
  const items: { rgb: Uint8Array; size: number }[] = [];
  for (const [k, p] of picked.entries()) {
    items.push(cropItem(await decodeRgba(imageBytes(manifest, shards, p.i)), req.split === 'train' ? rng : undefined));
    post({ kind: 'progress', task: 'decode', done: k + 1, total: picked.length, unit: 'images', secondsLeft: secondsLeft(k + 1, picked.length, performance.now() - started) });
  }
  const decodeMs = performance.now() - started;
  const train = req.split === 'train';
  // Validation items get the centre crop only; training items a random crop, plus the rest when `augment` is on.
  const options = augOptions(req.minScale, req.augment);
  const draws = picked.map(() => (train ? drawAug(rng, options) : NO_AUG));
  const t0 = performance.now();
  const batch = stackItems(items);
  const out = augmentBatch(batch, draws, req.size);
  const rgba = toRgba(out);
  const data = await rgba.data();
  const augmentMs = performance.now() - t0;
  tf.dispose([batch, out, rgba]);
  const per = req.size * req.size * 4;
  const pixels = picked.map((_, k) => new Uint8ClampedArray(data.subarray(k * per, (k + 1) * per)));
  post(
    {
      kind: 'batch',
      size: req.size,
      pixels,
      labels: picked.map((p) => manifest.classes[p.im.label]!),
      names: picked.map((p) => p.im.name),
      decodeMs,
      augmentMs,
    },
    pixels.map((p) => p.buffer),
  );
}

/** Where the demos save the current model, for other chapters to pick up. */
const SAVED_KEY = 'pets-latest';

/** A saved model that cannot be used: the page is told its key, so it can offer to forget it. */
class SavedModelError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/**
 * The model a reader-facing demo should look at: the one trained on this page if there is one, else the one saved
 * in this browser by another chapter, else an untrained model (random weights). Sets `modelSource` to say which.
 */
async function ensureModel(): Promise<Learner> {
  if (!learner) {
    const saved = await getWeights(SAVED_KEY).catch(() => undefined);
    // Checked whole before any model is built: a saved model that cannot be used is reported (and may be forgotten),
    // never half-loaded, and no untrained model is left behind in its place.
    let parsed: ParsedWeights | null = null;
    try {
      parsed = saved === undefined ? null : parseWeights(saved, 'the model saved in this browser');
      const classes = pack?.manifest.classes.length;
      if (parsed && classes !== undefined && parsed.header.config.classes !== classes)
        throw new WeightsError(`The model saved in this browser cannot be used: it has ${parsed.header.config.classes} classes where the pets pack has ${classes}.`);
    } catch (error) {
      throw new SavedModelError((error as Error).message, SAVED_KEY);
    }
    const arch = typeof parsed?.header.meta['arch'] === 'string' && parsed.header.meta['arch'] ? parsed.header.meta['arch'] : 'resnet-s';
    const size = typeof parsed?.header.meta['size'] === 'number' && parsed.header.meta['size'] > 0 ? parsed.header.meta['size'] : 64;
    await newModel({ arch, size, batchSize: 32, seed: 42 });
    if (parsed) {
      try {
        loadWeights(learner!.model, parsed);
      } catch (error) {
        learner!.dispose();
        disposeModel(learner!.model);
        learner = null;
        throw new SavedModelError(`The model saved in this browser cannot be used: ${(error as Error).message}`, SAVED_KEY);
      }
      modelSource = modelOrigin = `the ${arch} saved in this browser`;
    }
  } else if (learner.recorder.batches.length > 0) modelSource = `${modelOrigin}, trained on this page for ${learner.recorder.batches.length} batches`;
  return learner!;
}

/** Pack images, centre-cropped and resized to `side` px, as RGBA pixels (what the model sees, without augmentation). */
async function thumbnails(indices: readonly number[], side: number): Promise<Uint8ClampedArray[]> {
  if (!pack || indices.length === 0) return [];
  const items = [];
  for (const i of indices) items.push(cropItem(await decodeRgba(imageBytes(pack.manifest, pack.shards, i)), undefined));
  const batch = stackItems(items);
  const out = augmentBatch(batch, indices.map(() => NO_AUG), side);
  const rgba = toRgba(out);
  const data = await rgba.data();
  tf.dispose([batch, out, rgba]);
  const per = side * side * 4;
  return indices.map((_, k) => new Uint8ClampedArray(data.subarray(k * per, (k + 1) * per)));
}

/** A batch of images in [0, 1] as 0-255 RGBA integers. */
function toRgba(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.concat([tf.round(tf.mul(images, 255)), tf.fill([...images.shape.slice(0, 3), 1] as [number, number, number, number], 255)], 3), 'int32'));
}

/** The feature-map demo's own models (the page's model is left alone), by body, built once per page. */
const bodyModels = new Map<string, ResNet>();

async function bodyModel(body: 'pretrained' | 'random', url: string): Promise<ResNet> {
  const key = `${body} ${url}`;
  const cached = bodyModels.get(key);
  if (cached) return cached;
  const weights = await pretrainedWeights(url);
  const model = buildResNet(weights.header.config, 42);
  if (body === 'pretrained') loadWeights(model, weights);
  bodyModels.set(key, model);
  return model;
}

async function sendFeatureMaps(msg: Extract<ToWorker, { kind: 'feature-maps' }>): Promise<void> {
  const started = performance.now();
  let img: DecodedImage;
  if (msg.image) img = { data: msg.image.pixels, width: msg.image.width, height: msg.image.height, channels: 4 };
  else {
    if (!pack) throw new Error('The data pack is not loaded yet.');
    const i = pack.manifest.images.findIndex((im) => im.name === msg.name);
    if (i < 0) throw new Error(`There is no ${msg.name ?? 'image'} in the pack.`);
    img = await decodeRgba(imageBytes(pack.manifest, pack.shards, i));
  }
  const model = await bodyModel(msg.body, msg.weightsUrl);
  const { rgb, size } = cropItem(img, undefined);
  const seen = tf.tidy(() => augmentBatch(tf.tensor4d(Float32Array.from(rgb), [1, size, size, 3]), [NO_AUG], msg.size));
  const x = normalize(seen);
  const rgba = toRgba(seen);
  try {
    const fm = await featureMaps(model, x, msg.top);
    const input = new Uint8ClampedArray(await rgba.data());
    const classes = model.config.classes === IMAGENETTE_CLASSES.length ? IMAGENETTE_CLASSES : Array.from({ length: model.config.classes }, (_, k) => `class ${k}`);
    const p = softmax(fm.logits);
    const top = p.map((v, k) => ({ label: classes[k]!, p: v })).sort((a, b) => b.p - a.p).slice(0, 5);
    const seconds = (performance.now() - started) / 1000;
    post({ kind: 'feature-maps', body: msg.body, size: msg.size, input, stages: fm.stages, top, seconds }, [input.buffer, ...fm.stages.flatMap((s) => s.maps.map((m) => m.pixels.buffer))]);
  } finally {
    tf.dispose([seen, x, rgba]);
  }
}

/** The validation set through the model: every item's probabilities and loss, and pictures of the worst ones. */
async function interpret(topCount: number, run?: number): Promise<void> {
  if (!pack) throw new Error('The data pack is not loaded yet.');
  const learn = await ensureModel();
  // Every validation image, also when the model trained on a few (a quick run's data holds only some of them).
  const data = packDataSource(pack, decodeRgba, { batchSize: 32, size: modelSpec!.size, minScale: 1, augment: false, seed: modelSpec!.seed, cacheBytes: 0 });
  const names = data.validNames;
  const started = performance.now();
  const preds = await predictAll(learn.model, data, (done) =>
    post({ kind: 'progress', task: 'predict', done, total: names.length, unit: 'images', secondsLeft: secondsLeft(done, names.length, performance.now() - started) }),
    () => isStopped(run),
  );
  const seconds = (performance.now() - started) / 1000;
  const worst = topLosses(preds.losses, topCount);
  const index = new Map(pack.manifest.images.map((im, i) => [im.name, i]));
  const pixels = await thumbnails(worst.map((k) => index.get(names[k]!)!), THUMB);
  post(
    { kind: 'interpretation', classes: pack.manifest.classes, names: [...names], targets: preds.targets, probs: preds.probs, losses: preds.losses, modelSource, seconds, thumbs: worst.map((item, k) => ({ item, pixels: pixels[k]! })), thumbSize: THUMB },
    [preds.targets.buffer, preds.probs.buffer, preds.losses.buffer, ...pixels.map((p) => p.buffer)],
  );
}

async function handle(msg: Envelope): Promise<void> {
  current = msg.id;
  try {
    if (msg.kind === 'init') {
      if (!backend || !choice) {
        if (msg.kernels) (await import('../engine/kernel-set')).setKernelSet(msg.kernels);
        forcedBackend = msg.backend;
        choice = await initBackend(msg.backend, WASM_PATHS);
        backend = choice.name;
      }
      // Every demo on the page hears how the backend was chosen, not only the first to start it.
      post({ kind: 'ready', backend, skipped: choice.skipped, ...(forcedBackend ? { forced: forcedBackend } : {}) });
    } else if (msg.kind === 'load-pack') {
      if (!pack) {
        const started = performance.now();
        pack = await loadPack(msg.url, (p) => {
          packCachedBytes = p.cached;
          post({ kind: 'progress', task: 'download', done: p.loaded, total: p.total, unit: 'bytes', secondsLeft: secondsLeft(p.loaded - p.cached, p.total - p.cached, performance.now() - started) });
        });
      }
      const bytes = pack.manifest.shards.reduce((s, x) => s + x.bytes, 0);
      const train = pack.manifest.images.filter((im) => im.split === 'train').length;
      post({ kind: 'pack', classes: pack.manifest.classes, train, valid: pack.manifest.images.length - train, bytes, cachedBytes: packCachedBytes });
    } else if (msg.kind === 'show-batch') {
      await showBatch(msg);
    } else if (msg.kind === 'get-item') {
      if (!pack) throw new Error('The data pack is not loaded yet.');
      const i = pack.manifest.images.findIndex((im) => im.name === msg.name);
      if (i < 0) throw new Error(`There is no ${msg.name} in the pack.`);
      const img = await decodeRgba(imageBytes(pack.manifest, pack.shards, i));
      const pixels = new Uint8ClampedArray(img.data);
      post({ kind: 'item', name: msg.name, label: pack.manifest.classes[pack.manifest.images[i]!.label]!, width: img.width, height: img.height, pixels }, [pixels.buffer]);
    } else if (msg.kind === 'predict-item') {
      if (!pack) throw new Error('The data pack is not loaded yet.');
      await ensureModel();
      const i = pack.manifest.images.findIndex((im) => im.name === msg.name);
      if (i < 0) throw new Error(`There is no ${msg.name} in the pack.`);
      const img = await decodeRgba(imageBytes(pack.manifest, pack.shards, i));
      const { rgb, size } = cropItem(img, undefined);
      const model = learner!.model;
      const logits = tf.tidy(() => {
        const x = augmentBatch(tf.tensor4d(Float32Array.from(rgb), [1, size, size, 3]), [NO_AUG], modelSpec!.size);
        return forward(model, normalize(x), false);
      });
      const values = Array.from(await logits.data());
      logits.dispose();
      post({ kind: 'prediction', name: msg.name, target: pack.manifest.images[i]!.label, classes: pack.manifest.classes, logits: values, modelSource });
    } else if (msg.kind === 'feature-maps') {
      await sendFeatureMaps(msg);
    } else if (msg.kind === 'model-status') {
      const saved = await hasWeights('pets-latest').catch(() => false);
      post({ kind: 'model-status', trainedHere: (learner?.recorder.batches.length ?? 0) > 0, saved });
    } else if (msg.kind === 'interpret') {
      if (isStopped(msg.run)) post({ kind: 'stopped', task: msg.kind });
      else await interpret(msg.top, msg.run);
    } else if (msg.kind === 'new-model') {
      await newModel(msg);
    } else if (msg.kind === 'train') {
      const learn = needLearner();
      const started = performance.now();
      const from = learn.recorder.epochs.length;
      activeRun = msg.run;
      // Checked and started in one turn of the event loop, so a stop cannot fall between the two.
      const outcome = isStopped(msg.run)
        ? 'requested'
        : msg.method === 'fine_tune'
          ? await learn.fineTune(msg.epochs, typeof msg.lr === 'number' ? msg.lr : msg.lr.stop, {
              ...(msg.freezeEpochs === undefined ? {} : { freezeEpochs: msg.freezeEpochs }),
              ...(msg.lrMult === undefined ? {} : { lrMult: msg.lrMult }),
            })
          : msg.method === 'fit'
            ? await learn.fit(msg.epochs, msg.lr)
            : await learn.fitOneCycle(msg.epochs, msg.lr);
      post({ kind: 'trained', outcome, epochs: learn.recorder.epochs.slice(from), seconds: (performance.now() - started) / 1000 });
    } else if (msg.kind === 'bench-train') {
      const { benchTraining } = await import('../bench/train-bench');
      const { kind: _, run, ...options } = msg;
      const results = isStopped(run) ? null : await benchTraining(options, (what) => post({ kind: 'bench-progress', what }), () => isStopped(run));
      post(results ? { kind: 'bench-trained', results } : { kind: 'stopped', task: msg.kind });
    } else if (msg.kind === 'lr-find') {
      const learn = needLearner();
      activeRun = msg.run;
      // lrFind clears an earlier stop request when it starts: a stop that came first is applied on its first batch.
      const found = learn.lrFind({ startLr: msg.startLr, endLr: msg.endLr, numIt: msg.numIt });
      if (isStopped(msg.run)) learn.stop();
      post({ kind: 'lr-found', result: await found });
    } else if (msg.kind === 'save-model') {
      const bytes = await saveWeights(needLearner().model, { arch: modelSpec?.arch ?? '', size: modelSpec?.size ?? 0 });
      await putWeights(msg.key, bytes);
      post({ kind: 'model-saved', key: msg.key, bytes: bytes.length });
    } else if (msg.kind === 'load-model') {
      const bytes = await getWeights(msg.key);
      if (bytes !== undefined) {
        let parsed: ParsedWeights;
        try {
          parsed = parseWeights(bytes, 'the model saved in this browser');
        } catch (error) {
          throw new SavedModelError((error as Error).message, msg.key);
        }
        loadWeights(needLearner().model, parsed);
      }
      post({ kind: 'model-loaded', key: msg.key, found: bytes !== undefined });
    } else if (msg.kind === 'export-model') {
      const bytes = await saveWeights(needLearner().model, { arch: modelSpec?.arch ?? '', size: modelSpec?.size ?? 0 });
      post({ kind: 'model-file', bytes }, [bytes.buffer]);
    } else if (msg.kind === 'import-model') {
      loadWeights(needLearner().model, parseWeights(msg.bytes, 'the file'));
      post({ kind: 'model-loaded', key: 'file', found: true });
    } else if (msg.kind === 'forget-model') {
      await deleteWeights(msg.key);
      post({ kind: 'model-forgotten', key: msg.key });
    }
  } catch (error) {
    if (error instanceof PredictionStopped) post({ kind: 'stopped', task: msg.kind });
    else post({ kind: 'error', task: msg.kind, message: (error as Error).message, ...(error instanceof SavedModelError ? { savedKey: error.key } : {}) });
  } finally {
    if (msg.kind === 'train' || msg.kind === 'lr-find') activeRun = undefined;
  }
}

// One command at a time, in the order they came: a second init must not race the first.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<Extract<ToWorker, { kind: 'stop' }> | Envelope>) => {
  const msg = event.data;
  if (msg.kind === 'stop') {
    if (msg.run !== undefined) stoppedRuns.add(msg.run);
    if (msg.run === undefined || msg.run === activeRun) learner?.stop();
  } else queue = queue.then(() => handle(msg));
};
