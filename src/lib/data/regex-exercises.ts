// Exercises for the regular-expressions page: each asks for a pattern that labels the pets file names a given way.
// The right label of every name is computed here with plain string operations (no regex), so a reader's pattern is
// checked against something independent of any pattern; scoring compares labels name by name.
import { baseName } from './labellers';

export type RegexExerciseId = 'breed' | 'number' | 'first-word' | 'cats';

export interface RegexExercise {
  id: RegexExerciseId;
  title: string;
  /** What the pattern must do, in a sentence. */
  task: string;
  /** The label a correct pattern gives `name` (its first group, or the whole match without a group); null: no match. */
  want(name: string): string | null;
  /** One pattern that solves it (others do too). */
  answer: string;
  /** Why the answer works, shown with it. */
  why: string;
}

/** "great_pyrenees_17.jpg" -> ["great_pyrenees", "17"]: split at the last underscore, extension dropped. */
function parts(name: string): [string, string] {
  const base = baseName(name).replace(/\.jpg$/, '');
  const cut = base.lastIndexOf('_');
  return [base.slice(0, cut), base.slice(cut + 1)];
}

const isCat = (breed: string) => breed[0] !== undefined && breed[0] >= 'A' && breed[0] <= 'Z';

export const REGEX_EXERCISES: readonly RegexExercise[] = [
  {
    id: 'breed',
    title: 'The breed',
    task: 'Label every image with its breed, as the chapter does: great_pyrenees_17.jpg gives great_pyrenees.',
    want: (n) => parts(n)[0],
    answer: '(.+)_\\d+\\.jpg$',
    why: 'The greedy (.+) runs to the end and gives back characters only until _, digits and .jpg can match at the end: so it stops at the last underscore, keeping the ones inside the breed.',
  },
  {
    id: 'number',
    title: 'The image number',
    task: 'Label every image with the number after the breed: great_pyrenees_17.jpg gives 17.',
    want: (n) => parts(n)[1],
    answer: '_(\\d+)\\.jpg$',
    why: 'Anchored at the end with $, the group holds only digits, so the underscore before it has to be the last one.',
  },
  {
    id: 'first-word',
    title: 'The first word',
    task: 'Label every image with the first word of its breed: great_pyrenees_17.jpg gives great, Birman_3.jpg gives Birman.',
    want: (n) => parts(n)[0].split('_')[0]!,
    answer: '^(.+?)_',
    why: 'The lazy (.+?) takes as few characters as it can, so it stops at the first underscore; ^ makes the match start at the beginning of the name.',
  },
  {
    id: 'cats',
    title: 'Cats only',
    task: 'Label cat images with their breed and leave every dog image unmatched (cat breeds start with a capital letter).',
    want: (n) => (isCat(parts(n)[0]) ? parts(n)[0] : null),
    answer: '^([A-Z].*)_\\d+\\.jpg$',
    why: 'Without ^ the [A-Z] could match a capital anywhere; anchored, it has to be the first letter, and dog breeds are written in lower case.',
  },
];

export interface Mismatch {
  name: string;
  got: string | null;
  want: string | null;
}

export interface ExerciseScore {
  correct: number;
  total: number;
  /** The first `maxShown` names labelled wrongly, in the order of the names. */
  mismatches: Mismatch[];
  wrong: number;
}

/** How many names `labels` (aligned with `names`) label as the exercise wants. */
export function scoreExercise(
  exercise: RegexExercise,
  names: readonly string[],
  labels: readonly (string | null)[],
  maxShown = 8,
): ExerciseScore {
  const mismatches: Mismatch[] = [];
  let correct = 0;
  names.forEach((name, i) => {
    const got = labels[i] ?? null;
    const want = exercise.want(name);
    if (got === want) correct++;
    else if (mismatches.length < maxShown) mismatches.push({ name, got, want });
  });
  return { correct, total: names.length, mismatches, wrong: names.length - correct };
}
