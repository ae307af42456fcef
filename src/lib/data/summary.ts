// A DataBlock summary(): every step one item goes through, with what it is and its shape after the step, and the
// collate failure a batch of differently sized items runs into when there is no item resize.
import { regexLabel } from './labellers';

export interface SummaryItem {
  name: string;
  width: number;
  height: number;
}

export interface SummarySpec {
  labelPattern: RegExp;
  /**
   * The label get_y gives a name, when it was computed elsewhere (the DataBlock lab matches a reader's pattern in a
   * worker with a time limit, so it never runs here); by default `labelPattern`'s first group.
   */
  labelOf?: (name: string) => string | null;
  classes: readonly string[];
  /** Side of the item step's square crop (fastai's Resize), or null for none. */
  itemSize: number | null;
  /** Side of the augmented output of the batch step. */
  finalSize: number;
  batchSize: number;
}

export interface SummaryStep {
  step: string;
  result: string;
  shape: number[] | null;
}

export interface Summary {
  steps: SummaryStep[];
  /** Why collating failed, when it did; the steps then stop at the collate. */
  error: string | null;
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Walks `items[0]` through the pipeline and collates `items.slice(0, batchSize)`. */
export function summarize(items: readonly SummaryItem[], spec: SummarySpec): Summary {
  const first = items[0];
  if (!first) return { steps: [], error: 'There are no items to summarise.' };
  const steps: SummaryStep[] = [];
  steps.push({ step: 'get_items', result: first.name, shape: null });
  const label = spec.labelOf ? spec.labelOf(first.name) : regexLabel(first.name, spec.labelPattern);
  if (label === null) return { steps, error: `The label pattern ${spec.labelPattern} does not match "${first.name}".` };
  steps.push({ step: `get_y: ${spec.labelPattern}`, result: label, shape: null });
  const index = spec.classes.indexOf(label);
  steps.push({
    step: 'Categorize',
    result: index < 0 ? `"${label}" is not in the vocabulary` : `${label} -> ${index}`,
    shape: [],
  });
  steps.push({
    step: 'decode image',
    result: `${first.width} x ${first.height} RGB`,
    shape: [first.height, first.width, 3],
  });

  const itemShape = (it: SummaryItem) =>
    spec.itemSize === null ? [it.height, it.width, 3] : [spec.itemSize, spec.itemSize, 3];
  if (spec.itemSize !== null)
    steps.push({
      step: `item step: square crop to ${spec.itemSize}`,
      result: 'random position on training items, centre on validation',
      shape: itemShape(first),
    });
  steps.push({ step: 'to tensor (uint8)', result: 'height x width x channels', shape: itemShape(first) });

  const batch = items.slice(0, spec.batchSize);
  const shapes = batch.map(itemShape);
  const odd = shapes.findIndex((s) => s.some((d, k) => d !== shapes[0]![k]));
  if (odd >= 0) {
    return {
      steps,
      error:
        `Cannot collate a batch: items must all have the same shape to be stacked, but item 0 (${batch[0]!.name}) is ` +
        `${shapeText(shapes[0]!)} and item ${odd} (${batch[odd]!.name}) is ${shapeText(shapes[odd]!)}. ` +
        'Add an item step that gives every item the same size (a square crop), as presizing does.',
    };
  }
  steps.push({
    step: `collate ${batch.length} items`,
    result: 'stacked into one tensor',
    shape: [batch.length, ...shapes[0]!],
  });
  steps.push({ step: 'to float, / 255', result: 'values in [0, 1]', shape: [batch.length, ...shapes[0]!] });
  steps.push({
    step: `batch step: aug_transforms(size=${spec.finalSize})`,
    result: 'one resample per image on the GPU',
    shape: [batch.length, spec.finalSize, spec.finalSize, 3],
  });
  return { steps, error: null };
}
