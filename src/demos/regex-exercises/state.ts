// The regex exercises' state in the URL (keys prefixed "rx."): the pattern typed for each exercise, by its id.
import { stringField, type Schema } from '../../lib/url-state';
import type { RegexExerciseId } from '../../lib/data/regex-exercises';

export type RegexExercisesState = Record<RegexExerciseId, string>;

export const rxSchema: Schema<RegexExercisesState> = {
  breed: stringField('', 200),
  number: stringField('', 200),
  'first-word': stringField('', 200),
  cats: stringField('', 200),
};

export const RX_PREFIX = 'rx';
