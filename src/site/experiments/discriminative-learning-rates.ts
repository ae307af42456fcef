// Guided experiments of the "discriminative-learning-rates" chapter (see ./types.ts). Keys and values follow
// src/demos/fine-tune-lab/state.ts (ft.lr is log10 of base_lr, ft.mult log10 of lr_mult); on this page run B
// defaults to one rate for all groups (lr_mult 1).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'discriminative-higher-base-rate',
    chapter: 'discriminative-learning-rates',
    demo: 'fine-tune-lab',
    title: 'fine_tune(2, base_lr=1e-2): lr_mult 100 against lr_mult 1',
    params: { 'ft.lr': '-2' },
    lookFor:
      'Once unfrozen, run A trains its three groups at 5e-5, 5e-4 and 5e-3, run B all of them at 5e-3: a hundred times faster for the stem and early stages. ' +
      'Compare the two loss curves after the frozen epoch, where the runs start to differ, and the final error rates.',
  },
  {
    id: 'discriminative-lr-mult-1000',
    chapter: 'discriminative-learning-rates',
    demo: 'fine-tune-lab',
    title: 'lr_mult=1000: the early layers almost frozen',
    params: { 'ft.mult': '3' },
    lookFor:
      'The plan’s three lines fan out over three powers of ten once unfrozen: 1e-6, 3.2e-5 and 1e-3 at their peaks. ' +
      'At 1e-6 the first group barely moves; see whether that costs anything against one rate for all.',
  },
];
