// A quick run's data: how many training and validation images it uses, and a batch size that fits them. Asking
// for 16 images with a batch of 32 would leave no whole batch (the last partial batch is dropped, as fastai does),
// so the batch shrinks to the images chosen, and the demo says so.

export interface QuickRunData {
  /** The batch size actually used. */
  batchSize: number;
  /** Training images used (all of the pack's when no limit is asked). */
  train: number;
  /** Validation images used, and how many the pack has. */
  valid: number;
  validTotal: number;
  /** Why the batch size differs from the one asked for; '' when it does not. */
  note: string;
}

/**
 * `maxTrain` training images at most (undefined: all of them); validation gets a quarter as many as the training
 * images used, at least one batch, at most all of the pack's.
 */
export function quickRunData(
  requestedBatch: number,
  trainInPack: number,
  validInPack: number,
  maxTrain?: number,
): QuickRunData {
  const train = Math.min(trainInPack, maxTrain ?? trainInPack);
  const batchSize = Math.max(1, Math.min(requestedBatch, train));
  const valid = maxTrain === undefined ? validInPack : Math.min(validInPack, Math.max(batchSize, Math.ceil(train / 4)));
  const note =
    batchSize < requestedBatch
      ? `batch size ${batchSize}, not ${requestedBatch}: the ${train} training images chosen are fewer than one batch of ${requestedBatch}`
      : '';
  return { batchSize, train, valid, validTotal: validInPack, note };
}

/** 'on 32 of 93 validation images' or 'on all 93 validation images'. */
export function validationScope(valid: number, total: number): string {
  return valid < total ? `on ${valid} of ${total} validation images` : `on all ${total} validation images`;
}

/** What a model request asks of the data: the fields the worker and `npm run train` both take from their caller. */
export interface DataRequest {
  batchSize: number;
  size: number;
  seed: number;
  /** At most this many training images (a quick run); undefined: all of them. */
  maxTrain?: number;
}

/**
 * The options of a training pack source for a request, and the quick run's figures behind them: the one place the
 * quick-run rule (batch fitted to the images, a quarter as many validation images) turns into pack options, so the
 * worker and the command line cannot differ. Training images get RandomResizedCrop (0.75) and augmentation.
 */
export function packOptionsFor(req: DataRequest, trainInPack: number, validInPack: number, cacheBytes: number) {
  const quick = quickRunData(req.batchSize, trainInPack, validInPack, req.maxTrain);
  const options = {
    batchSize: quick.batchSize,
    size: req.size,
    minScale: 0.75,
    augment: true,
    seed: req.seed,
    maxTrain: req.maxTrain,
    maxValid: req.maxTrain === undefined ? undefined : quick.valid,
    cacheBytes,
  };
  return { quick, options };
}
