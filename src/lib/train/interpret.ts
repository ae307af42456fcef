// fastai's ClassificationInterpretation as plain functions over a model's validation predictions: the predicted
// class of each item, the confusion matrix, the most confused pairs and the items with the highest loss.

/** Per item: the index of the largest of its `classes` probabilities (the first one on a tie, as argmax does). */
export function predictedClasses(probs: ArrayLike<number>, classes: number): Int32Array {
  if (classes < 1 || probs.length % classes !== 0)
    throw new Error(`${probs.length} probabilities do not split into rows of ${classes}.`);
  const out = new Int32Array(probs.length / classes);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** counts[actual][predicted]: rows are the true classes, columns the predicted ones. */
export function confusionMatrix(targets: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (targets.length !== predicted.length)
    throw new Error(`${targets.length} targets but ${predicted.length} predictions.`);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < targets.length; i++) {
    const [t, p] = [targets[i]!, predicted[i]!];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes))
      throw new Error(`Item ${i} has class ${t} -> ${p}, outside 0..${classes - 1}.`);
    counts[t]![p]!++;
  }
  return counts;
}

export interface ConfusedPair {
  actual: string;
  predicted: string;
  count: number;
}

/**
 * The off-diagonal cells with at least `minCount` items, largest first; equal counts keep the matrix's row-major
 * order (fastai's most_confused sorts its list stably the same way).
 */
export function mostConfused(
  counts: readonly (readonly number[])[],
  vocab: readonly string[],
  minCount = 1,
): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  counts.forEach((row, i) =>
    row.forEach((count, j) => {
      if (i !== j && count >= minCount && count > 0)
        pairs.push({ actual: vocab[i] ?? String(i), predicted: vocab[j] ?? String(j), count });
    }),
  );
  return pairs.sort((a, b) => b.count - a.count);
}

/** Indices of the `k` items with the highest loss, highest first (equal losses in item order). */
export function topLosses(losses: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: losses.length }, (_, i) => i);
  order.sort((a, b) => losses[b]! - losses[a]! || a - b);
  return order.slice(0, Math.max(0, k));
}

/** Share of items on the diagonal; 0 for an empty matrix. */
export function accuracyOf(counts: readonly (readonly number[])[]): number {
  let right = 0;
  let total = 0;
  counts.forEach((row, i) => row.forEach((c, j) => ((total += c), i === j && (right += c))));
  return total === 0 ? 0 : right / total;
}
