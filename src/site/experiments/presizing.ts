// Guided experiments of the "presizing" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'presizing-regex-merges-terriers',
    chapter: 'presizing',
    demo: 'datablock-lab',
    title: 'Label with ([^_]+)_\\d+.jpg$ instead of (.+)_\\d+.jpg$',
    params: { 'db.pattern': '([^_]+)_\\d+.jpg$' },
    lookFor:
      'Every name still matches, yet the class count drops below 37: the group now keeps only the last word, so all five ' +
      'terrier breeds share the label "terrier" (and Egyptian_Mau becomes "Mau"). No error warns you; only the counts do.',
  },
  {
    id: 'presizing-regex-lowercase',
    chapter: 'presizing',
    demo: 'datablock-lab',
    title: 'Label with ([a-z_]+)_\\d+.jpg$ (lower case only)',
    params: { 'db.pattern': '([a-z_]+)_\\d+.jpg$' },
    lookFor:
      'Still 37 classes and nothing unmatched, so the totals look right; read the table instead: without a ^ anchor the ' +
      'match starts after the capital letter, and Abyssinian is labelled "byssinian".',
  },
  {
    id: 'presizing-no-item-resize',
    chapter: 'presizing',
    demo: 'datablock-lab',
    title: 'summary() without the item step',
    params: { 'db.resize': 'off' },
    lookFor:
      'The walk through one item stops at the collate step, and the message names two items whose shapes differ: this is ' +
      'the error a DataBlock without item_tfms gives, and the fix it suggests is the item step.',
  },
  {
    id: 'presizing-rotate-45',
    chapter: 'presizing',
    demo: 'presizing-lab',
    title: 'Rotate a Birman by 45° with no zoom',
    params: { 'pz.image': 'Birman_169.jpg', 'pz.rotate': '45', 'pz.zoom': '1' },
    lookFor:
      'The step-by-step image gets black corners (the small image has nothing outside its frame to rotate in), while ' +
      "fastai's single resample of the bigger item fills them with real or reflected fur. The difference view is brightest there.",
  },
  {
    id: 'presizing-small-final-size',
    chapter: 'presizing',
    demo: 'presizing-lab',
    title: 'Augment to a 48 px final size',
    params: { 'pz.image': 'Birman_169.jpg', 'pz.size': '48' },
    lookFor:
      'At a small final size every extra resample costs a larger share of the few pixels left: compare the sharpness of ' +
      'the eyes and whiskers, and the mean difference in the status line, with the 128 px default.',
  },
  {
    id: 'presizing-batch-validation',
    chapter: 'presizing',
    demo: 'show-batch',
    title: 'show_batch on the validation set',
    params: { 'batch.split': 'valid' },
    lookFor:
      'Press "Show a batch": no flips, rotations, warps or lighting changes, only the centre square of each image, the ' +
      'same every time, so the validation error measures the model and not the luck of the augmentation.',
  },
  {
    id: 'presizing-batch-min-scale',
    chapter: 'presizing',
    demo: 'show-batch',
    title: 'show_batch with min_scale=0.3',
    params: { 'batch.minScale': '0.3' },
    lookFor:
      'Press "Show a batch" and re-roll: some crops keep less than a third of the picture and cut off the face or ears ' +
      'that tell the breeds apart, which is why the chapter keeps at least 75% of the area.',
  },
];
