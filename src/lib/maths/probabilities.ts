// Softmax, log-softmax, sigmoid, negative log-likelihood and cross-entropy on plain numbers.
// These are the formulas the chapter teaches, written out; the demos draw them and the engine's tensor versions are
// tested against them.

/** e^a_i / sum_j e^a_j, computed after subtracting the largest activation so large inputs do not overflow. */
export function softmax(acts: readonly number[], temperature = 1): number[] {
  if (acts.length === 0) return [];
  if (!(temperature > 0)) throw new RangeError(`temperature must be positive, got ${temperature}`);
  const scaled = acts.map((a) => a / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((a) => Math.exp(a - max));
  const total = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / total);
}

/** log(softmax(a)) computed as a - logsumexp(a): exact where the log of a tiny probability would underflow. */
export function logSoftmax(acts: readonly number[]): number[] {
  const max = Math.max(...acts);
  const lse = max + Math.log(acts.reduce((s, a) => s + Math.exp(a - max), 0));
  return acts.map((a) => a - lse);
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Negative log-likelihood of one item: minus the log-probability given to its target class. */
export function nll(logProbs: readonly number[], target: number): number {
  const lp = logProbs[target];
  if (lp === undefined) throw new RangeError(`target ${target} is outside 0..${logProbs.length - 1}`);
  return -lp;
}

/** Cross-entropy of each item: nll(logSoftmax(acts), target). */
export function crossEntropyPerItem(acts: readonly (readonly number[])[], targets: readonly number[]): number[] {
  if (acts.length !== targets.length)
    throw new RangeError(`${acts.length} rows of activations but ${targets.length} targets`);
  return acts.map((row, i) => nll(logSoftmax(row), targets[i]!));
}

/** Mean cross-entropy over a batch, the loss a classifier trains on. */
export function crossEntropy(acts: readonly (readonly number[])[], targets: readonly number[]): number {
  const losses = crossEntropyPerItem(acts, targets);
  return losses.reduce((s, l) => s + l, 0) / losses.length;
}

/** d(loss)/d(acts) for one item: softmax(acts) - one_hot(target). */
export function crossEntropyGradient(acts: readonly number[], target: number): number[] {
  return softmax(acts).map((p, i) => p - (i === target ? 1 : 0));
}
