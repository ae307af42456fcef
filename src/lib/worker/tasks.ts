// The worker's looking jobs, on the session's pack and models: a batch as the model sees it, one pack image, one
// prediction, feature maps, and the interpretation of the whole validation set. Each returns its reply and the
// buffers to transfer with it.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng, shuffled } from '../data/rng';
import { NO_AUG, augOptions, drawAug } from '../data/augment';
import { augmentBatch } from '../data/gpu-augment';
import { cropItem, packDataSource, stackItems, type DecodedImage } from '../data/pack-source';
import { normalize } from '../train/data-source';
import { topLosses } from '../train/interpret';
import { predictAll } from '../train/learner';
import { featureMaps } from '../model/feature-maps';
import { forward } from '../model/resnet-s';
import { IMAGENETTE_CLASSES } from '../model/imagenette-classes';
import { softmax } from '../maths/probabilities';
import { batchPixels, decodePackImage, decodeRgba, packIndex } from './images';
import type { Session } from './session';
import { secondsLeft, type BatchRequest, type CommandOf, type ReplyTo, type RunEvent } from './protocol';

/** A reply and the buffers that move with it (rather than being copied). */
export interface Transferred<R> {
  reply: R;
  transfer: Transferable[];
}

/** Side of the top-loss pictures sent with an interpretation. */
const THUMB = 96;

/** One image's square crop as a 1-image batch resized to `side` (no augmentation), values in [0, 1]. */
function seenAs(img: DecodedImage, side: number): tf.Tensor4D {
  const { rgb, size } = cropItem(img, undefined);
  return tf.tidy(() => augmentBatch(tf.tensor4d(Float32Array.from(rgb), [1, size, size, 3]), [NO_AUG], side));
}

export async function showBatch(
  session: Session,
  req: BatchRequest,
  emit: (e: RunEvent) => void,
): Promise<Transferred<ReplyTo<'show-batch'>>> {
  const pack = session.needPack();
  const rng = seededRng(req.seed);
  const pool = pack.manifest.images.map((im, i) => ({ im, i })).filter((x) => x.im.split === req.split);
  if (pool.length === 0) throw new Error(`The pack has no ${req.split} images.`);
  const picked = shuffled(pool, rng).slice(0, req.count);
  const train = req.split === 'train';
  const started = performance.now();
  const items: { rgb: Uint8Array; size: number }[] = [];
  for (const [k, p] of picked.entries()) {
    items.push(cropItem(await decodePackImage(pack, p.i), train ? rng : undefined));
    emit({
      kind: 'progress',
      task: 'decode',
      done: k + 1,
      total: picked.length,
      unit: 'images',
      secondsLeft: secondsLeft(k + 1, picked.length, performance.now() - started),
    });
  }
  const decodeMs = performance.now() - started;
  // Validation items get the centre crop only; training items a random crop, plus the rest when `augment` is on.
  const options = augOptions(req.minScale, req.augment);
  const draws = picked.map(() => (train ? drawAug(rng, options) : NO_AUG));
  const t0 = performance.now();
  const batch = stackItems(items);
  const out = augmentBatch(batch, draws, req.size);
  const pixels = await batchPixels(out).finally(() => tf.dispose([batch, out]));
  const augmentMs = performance.now() - t0;
  const reply = {
    kind: 'batch',
    size: req.size,
    pixels,
    labels: picked.map((p) => pack.manifest.classes[p.im.label]!),
    names: picked.map((p) => p.im.name),
    decodeMs,
    augmentMs,
  } as const;
  return { reply, transfer: pixels.map((p) => p.buffer) };
}

export async function getItem(session: Session, name: string): Promise<Transferred<ReplyTo<'get-item'>>> {
  const pack = session.needPack();
  const i = packIndex(pack, name);
  const img = await decodePackImage(pack, i);
  const pixels = new Uint8ClampedArray(img.data);
  return {
    reply: {
      kind: 'item',
      name,
      label: pack.manifest.classes[pack.manifest.images[i]!.label]!,
      width: img.width,
      height: img.height,
      pixels,
    },
    transfer: [pixels.buffer],
  };
}

export async function predictItem(session: Session, name: string): Promise<ReplyTo<'predict-item'>> {
  const pack = session.needPack();
  const learner = await session.ensureModel();
  const i = packIndex(pack, name);
  const x = seenAs(await decodePackImage(pack, i), session.spec!.size);
  const logits = tf.tidy(() => forward(learner.model, normalize(x), false));
  const values = Array.from(await logits.data());
  tf.dispose([x, logits]);
  return {
    kind: 'prediction',
    name,
    target: pack.manifest.images[i]!.label,
    classes: pack.manifest.classes,
    logits: values,
    modelSource: session.source,
  };
}

export async function sendFeatureMaps(
  session: Session,
  msg: CommandOf<'feature-maps'>,
): Promise<Transferred<ReplyTo<'feature-maps'>>> {
  const started = performance.now();
  const img: DecodedImage = msg.image
    ? { data: msg.image.pixels, width: msg.image.width, height: msg.image.height, channels: 4 }
    : await decodePackImage(session.needPack(), packIndex(session.needPack(), msg.name));
  const model = await session.bodyModel(msg.body, msg.weightsUrl);
  const seen = seenAs(img, msg.size);
  const x = normalize(seen);
  try {
    const fm = await featureMaps(model, x, msg.top);
    const [input] = await batchPixels(seen);
    const classes =
      model.config.classes === IMAGENETTE_CLASSES.length
        ? IMAGENETTE_CLASSES
        : Array.from({ length: model.config.classes }, (_, k) => `class ${k}`);
    const p = softmax(fm.logits);
    const top = p
      .map((v, k) => ({ label: classes[k]!, p: v }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 5);
    const seconds = (performance.now() - started) / 1000;
    return {
      reply: { kind: 'feature-maps', body: msg.body, size: msg.size, input: input!, stages: fm.stages, top, seconds },
      transfer: [input!.buffer, ...fm.stages.flatMap((s) => s.maps.map((m) => m.pixels.buffer))],
    };
  } finally {
    tf.dispose([seen, x]);
  }
}

/** Pack images, centre-cropped and resized to `side` px, as RGBA pixels (what the model sees, without augmentation). */
async function thumbnails(session: Session, indices: readonly number[], side: number): Promise<Uint8ClampedArray[]> {
  const pack = session.needPack();
  if (indices.length === 0) return [];
  const items = [];
  for (const i of indices) items.push(cropItem(await decodePackImage(pack, i), undefined));
  const batch = stackItems(items);
  const out = augmentBatch(
    batch,
    indices.map(() => NO_AUG),
    side,
  );
  return batchPixels(out).finally(() => tf.dispose([batch, out]));
}

/** The validation set through the model: every item's probabilities and loss, and pictures of the worst ones. */
export async function interpret(
  session: Session,
  topCount: number,
  run: number | undefined,
  emit: (e: RunEvent) => void,
): Promise<Transferred<ReplyTo<'interpret'>>> {
  const pack = session.needPack();
  const learn = await session.ensureModel();
  const spec = session.spec!;
  // Every validation image, also when the model trained on a few (a quick run's data holds only some of them).
  const data = packDataSource(pack, decodeRgba, {
    batchSize: 32,
    size: spec.size,
    minScale: 1,
    augment: false,
    seed: spec.seed,
    cacheBytes: 0,
  });
  const names = data.validNames;
  const started = performance.now();
  const preds = await predictAll(
    learn.model,
    data,
    (done) =>
      emit({
        kind: 'progress',
        task: 'predict',
        done,
        total: names.length,
        unit: 'images',
        secondsLeft: secondsLeft(done, names.length, performance.now() - started),
      }),
    () => session.isStopped(run),
  );
  const seconds = (performance.now() - started) / 1000;
  const worst = topLosses(preds.losses, topCount);
  const index = new Map(pack.manifest.images.map((im, i) => [im.name, i]));
  const pixels = await thumbnails(
    session,
    worst.map((k) => index.get(names[k]!)!),
    THUMB,
  );
  return {
    reply: {
      kind: 'interpretation',
      classes: pack.manifest.classes,
      names: [...names],
      targets: preds.targets,
      probs: preds.probs,
      losses: preds.losses,
      modelSource: session.source,
      seconds,
      thumbs: worst.map((item, k) => ({ item, pixels: pixels[k]! })),
      thumbSize: THUMB,
    },
    transfer: [preds.targets.buffer, preds.probs.buffer, preds.losses.buffer, ...pixels.map((p) => p.buffer)],
  };
}
