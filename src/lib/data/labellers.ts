// Labels from file names (pets) or folders (Imagenette), and the class vocabulary in fastai's order.

/** The chapter's rule: the breed is everything before the last "_<number>.jpg". */
export const PETS_LABEL_PATTERN = /(.+)_\d+.jpg$/;

export type Species = 'cat' | 'dog';

export interface PetLabel {
  breed: string;
  species: Species;
}

/** The base name of a path, with either separator. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Applies a labelling regex to a file name: the first capture group, or null when it does not match. */
export function regexLabel(name: string, pattern: RegExp): string | null {
  const m = pattern.exec(baseName(name));
  return m?.[1] ?? null;
}

/** Breed and species of a pets image; cat breeds are capitalised, dog breeds are not. */
export function petLabel(name: string): PetLabel | null {
  const breed = regexLabel(name, PETS_LABEL_PATTERN);
  if (breed === null) return null;
  const first = breed[0]!;
  return { breed, species: first === first.toUpperCase() && first !== first.toLowerCase() ? 'cat' : 'dog' };
}

/** Sorted unique labels, compared by code point like Python's sorted(): upper-case (cat) breeds come first. */
export function vocabOf(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
