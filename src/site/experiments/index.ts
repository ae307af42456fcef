// Every guided experiment on the site, in reading order of the chapters; one file per chapter keeps edits apart.
import type { Experiment } from './types';
import { experiments as presizing } from './presizing';
import { experiments as softmax } from './softmax';
import { experiments as crossEntropy } from './cross-entropy';
import { experiments as lrFinder } from './lr-finder';
import { experiments as transferLearning } from './transfer-learning';
import { experiments as discriminative } from './discriminative-learning-rates';
import { experiments as epochs } from './epochs-and-1cycle';
import { experiments as interpretation } from './interpretation';
import { experiments as deeper } from './deeper-architectures';

export type { Experiment } from './types';
export { experimentHref } from './types';

export const EXPERIMENTS: readonly Experiment[] = [
  ...presizing,
  ...softmax,
  ...crossEntropy,
  ...lrFinder,
  ...transferLearning,
  ...discriminative,
  ...epochs,
  ...interpretation,
  ...deeper,
];

/** The experiment with this id; throws for an unknown id, so a typo in a chapter fails the build. */
export function experimentById(id: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.id === id);
  if (!e) throw new Error(`no guided experiment "${id}" in src/site/experiments`);
  return e;
}
