// Guided experiments of the "cross-entropy" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'cross-entropy-confident-and-wrong',
    chapter: 'cross-entropy',
    demo: 'cross-entropy-lab',
    title: 'Confident and wrong: activations 4, −1, −1, target class 1',
    params: { 'ce.acts': '4,-1,-1', 'ce.target': '1' },
    lookFor:
      'The target gets under 1% of the probability, so the marker sits far up the −log curve (a loss above 5). The gradient ' +
      'bars are almost −1 on the target and +1 on the class the model wrongly prefers: a full-strength push.',
  },
  {
    id: 'cross-entropy-confident-and-right',
    chapter: 'cross-entropy',
    demo: 'cross-entropy-lab',
    title: 'Confident and right: activations 4, −1, −1, target class 0',
    params: { 'ce.acts': '4,-1,-1' },
    lookFor:
      'Same activations, right target: the loss falls to about 0.01 and every gradient bar almost vanishes. Items the model ' +
      'already gets right barely move the weights.',
  },
  {
    id: 'cross-entropy-uniform',
    chapter: 'cross-entropy',
    demo: 'cross-entropy-lab',
    title: 'No opinion: three equal activations',
    params: { 'ce.acts': '0,0,0' },
    lookFor:
      'Equal activations give each class 1/3 and a loss of log 3 ≈ 1.0986, whichever target you pick: the loss of a model ' +
      'that knows nothing. With 37 breeds the same reasoning gives log 37.',
  },
];
