// Guided experiments of the "lr-finder" chapter (see ./types.ts). Keys and values follow src/demos/lr-finder/state.ts.
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'lr-find-twenty-batches',
    chapter: 'lr-finder',
    demo: 'lr-finder',
    title: 'lr_find(num_it=20): a sweep in 20 batches',
    params: { 'lrf.numIt': '20' },
    lookFor:
      'Each batch now raises the rate about 2.5 times instead of 1.2, so the curve has a handful of points and jumps from flat to exploding. ' +
      'After trimming (batches 2 to 14) at most 13 points are left: fewer than the 16 slide needs, so the table has no value for it, and the other three rest on very few points.',
  },
  {
    id: 'lr-find-small-batches',
    chapter: 'lr-finder',
    demo: 'lr-finder',
    title: 'lr_find with batches of 8 images',
    params: { 'lrf.bs': '8' },
    lookFor:
      'The raw (dashed) loss scatters much more widely around the smoothed line than with batches of 32, because each loss is an average over 8 images. ' +
      'The smoothed curve is what the stop rule and the suggestions read; compare its suggestions with the default sweep.',
  },
  {
    id: 'lr-find-longer-sweep',
    chapter: 'lr-finder',
    demo: 'lr-finder',
    title: 'lr_find(num_it=200): twice as many batches',
    params: { 'lrf.numIt': '200' },
    lookFor:
      'The same range of rates in 25 batches per power of ten instead of 12.5. The model has trained on more batches by the time the rate reaches any given value: ' +
      'see whether the fall of the loss, and the suggestions, move to lower rates than in the 100-batch sweep.',
  },
];
