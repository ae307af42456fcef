// The pretrained body's own head predicts Imagenette's ten classes, in the vocabulary order the body was trained with:
// the names from Imagenette's classes.txt sorted by code point, as `npm run data` sorts every vocabulary
// (scripts/pretrained-body.test.ts checks this list against a pack made from the real classes.txt).
export const IMAGENETTE_CLASSES: readonly string[] = [
  'English springer',
  'French horn',
  'cassette player',
  'chain saw',
  'church',
  'garbage truck',
  'gas pump',
  'golf ball',
  'parachute',
  'tench',
];
