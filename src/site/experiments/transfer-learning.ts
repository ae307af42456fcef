// Guided experiments of the "transfer-learning" chapter (see ./types.ts). Keys and values follow
// src/demos/fine-tune-lab/state.ts (ft.lr is log10 of base_lr); this page's run B defaults to a random body.
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'fine-tune-four-epochs',
    chapter: 'transfer-learning',
    demo: 'fine-tune-lab',
    title: 'fine_tune(4, base_lr=1e-2), pretrained body against random weights',
    params: { 'ft.epochs': '4', 'ft.lr': '-2' },
    lookFor:
      'The setting a previous session measured on all 373 training images: 86.0% error from the pretrained body against 94.6% from random weights. ' +
      'Watch run A’s loss fall faster from the first batches, and compare the last rows of the two runs in the epoch table.',
  },
  {
    id: 'fine-tune-never-frozen',
    chapter: 'transfer-learning',
    demo: 'fine-tune-lab',
    title: 'fine_tune(2) against the same body never frozen',
    params: { 'ft.compare': 'no-freeze' },
    lookFor:
      'Run B trains three unfrozen epochs with discriminative rates from the first batch, while its random head still sends noise into the body. ' +
      'Compare its loss over the first epoch with run A’s frozen epoch, and the two runs’ final error rates.',
  },
  {
    id: 'fine-tune-lr-too-high',
    chapter: 'transfer-learning',
    demo: 'fine-tune-lab',
    title: 'fine_tune(1, base_lr=0.1): the chapter’s too-high rate',
    params: { 'ft.epochs': '1', 'ft.lr': '-1' },
    lookFor:
      'The plan’s head line climbs to 0.1 in the frozen epoch and the body’s groups peak at 5e-4 and 5e-3 once unfrozen. ' +
      'Read the valid_loss column beside the error rate: in our measured run it went above 3.61, a uniform guess’s loss, while the error rate still fell; run the default rate after it to compare.',
  },
];
