// Which model a reader-facing demo looks at, and how it is described: the key the demos save under, the check a saved
// model passes before it is used, and the words that say where the current model came from.
import { parseWeights, WeightsError, type ParsedWeights } from '../model/weights';

/** Where the demos save the current model, for other chapters to pick up. */
export const SAVED_KEY = 'pets-latest';

/** A saved model that cannot be used: the page is told its key, so it can offer to forget it. */
export class SavedModelError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/** What a saved model says it is (its arch and image size), with defaults for a file that does not say. */
export interface SavedModel {
  weights: ParsedWeights;
  arch: string;
  size: number;
}

/**
 * Checks a saved model whole before any model is built, so one that cannot be used is reported (and may be
 * forgotten), never half-loaded: it must parse and have `classes` classes when the pack is known.
 */
export function readSavedModel(bytes: Uint8Array, key: string, classes: number | undefined): SavedModel {
  try {
    const weights = parseWeights(bytes, 'the model saved in this browser');
    if (classes !== undefined && weights.header.config.classes !== classes)
      throw new WeightsError(
        `The model saved in this browser cannot be used: it has ${weights.header.config.classes} classes where the pets pack has ${classes}.`,
      );
    const arch = weights.header.meta['arch'];
    const size = weights.header.meta['size'];
    return {
      weights,
      arch: typeof arch === 'string' && arch ? arch : 'resnet-s',
      size: typeof size === 'number' && size > 0 ? size : 64,
    };
  } catch (error) {
    throw new SavedModelError((error as Error).message, key);
  }
}

/** The words for where a model came from, as the demos show them. */
export const describeModel = {
  untrained: (arch: string) => `an untrained ${arch} (random weights)`,
  pretrained: (arch: string, dataset: unknown) =>
    `a ${arch} with a body pretrained on ${typeof dataset === 'string' && dataset ? dataset : 'other images'} and a new head`,
  saved: (arch: string) => `the ${arch} saved in this browser`,
  trainedHere: (origin: string, batches: number) => `${origin}, trained on this page for ${batches} batches`,
};

/** Defaults for a model built to look at when the page has none (the saved model's arch and size, else these). */
export const LOOK_MODEL = { arch: 'resnet-s', size: 64, batchSize: 32, seed: 42 } as const;
