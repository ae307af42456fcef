// Guided experiments of the "interpretation" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'most-confused-min-val-5',
    chapter: 'interpretation',
    demo: 'interpretation-lab',
    title: 'most_confused(min_val=5), as in the book',
    params: { 'interp.min': '5' },
    lookFor:
      'How few pairs survive a threshold of five images on this site’s smaller validation set; then lower the slider one step at a time and watch which pairs appear first: they are usually breeds that look alike (two terriers, two long-haired cats).',
  },
  {
    id: 'top-losses-16',
    chapter: 'interpretation',
    demo: 'interpretation-lab',
    title: 'plot_top_losses(16)',
    params: { 'interp.k': '16' },
    lookFor:
      'The order of the captions (prediction, actual, loss, probability): losses fall down the grid, and the first few are confident mistakes, a high probability on the wrong breed. Look for pictures where the animal is small, hidden or not the breed its label says.',
  },
  {
    id: 'interpret-an-untrained-model',
    chapter: 'interpretation',
    demo: 'interpretation-lab',
    title: 'Interpret the model as it is (no training first)',
    params: { 'interp.model': 'as-is', 'interp.min': '1' },
    lookFor:
      'A baseline: an untrained model’s matrix has no diagonal; its predictions pile into a few columns, and accuracy is close to chance (about 1 in 37). The pairs it “confuses” tell you nothing about the breeds.',
  },
];
