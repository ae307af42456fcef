// Guided experiments of the "epochs-and-1cycle" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'one-cycle-long-run',
    chapter: 'epochs-and-1cycle',
    demo: 'train-run',
    title: 'fit_one_cycle(12, 3.2e-3): a long run',
    params: { 'train.epochs': '12' },
    lookFor:
      'The learning-rate chart climbs for the first quarter (3 of 12 epochs) and then falls along a cosine, while momentum dips and recovers. Watch valid_loss in the table: once it turns up while train_loss keeps falling, the model has started to overfit.',
  },
  {
    id: 'one-cycle-lr-too-high',
    chapter: 'epochs-and-1cycle',
    demo: 'train-run',
    title: 'lr_max = 0.1: a peak that is too high',
    params: { 'train.lr': '-1', 'train.epochs': '4' },
    lookFor:
      'Watch the loss per batch as the warm-up nears its peak of 0.1: instead of falling steadily it stalls or jumps, and compare the final error_rate with a run at the default 3.2e-3 (guessing among 37 breeds would be 36 wrong in 37, 0.973).',
  },
  {
    id: 'fit-without-a-cycle',
    chapter: 'epochs-and-1cycle',
    demo: 'train-run',
    title: 'fit(4) at a constant rate, against fit_one_cycle(4)',
    params: { 'train.method': 'fit', 'train.epochs': '4' },
    lookFor:
      'The learning-rate chart is flat: no warm-up and no annealing. Compare the last epoch with a fit_one_cycle(4) run at the same rate: the constant rate usually ends with a noisier, higher loss.',
  },
  {
    id: 'early-stop-or-retrain-long',
    chapter: 'epochs-and-1cycle',
    demo: 'epochs-lab',
    title: '12 epochs, then retrain for the best epoch count',
    params: { 'es.epochs': '12' },
    lookFor:
      'Where the marked best epoch falls among the 12, how high run A’s learning rate still was there (first row of the comparison), and whether run B, which anneals by that epoch, matches or beats it.',
  },
  {
    id: 'early-stop-or-retrain-quick',
    chapter: 'epochs-and-1cycle',
    demo: 'epochs-lab',
    title: 'A quick run: 64 images, batch 16, 8 epochs',
    params: { 'es.items': '64', 'es.bs': '16', 'es.epochs': '8' },
    lookFor:
      'With so few images the model overfits fast: train_loss keeps falling while valid_loss turns up after a few epochs. The best epoch comes early, and the two models are compared on the same 16 validation images, so one image is 6.25 points of error.',
  },
];
