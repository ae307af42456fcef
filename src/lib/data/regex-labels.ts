// Applies a labelling regex typed by a reader to file names: never throws, reports what happened. Pure and DOM-free,
// so it runs in the pattern worker (src/demos/shared/pattern-worker.ts), where a pattern that backtracks
// catastrophically can be stopped, and in Node tests.
export interface RegexResult {
  error: string | null;
  labels: (string | null)[];
  counts: [string, number][];
  unmatched: number;
}

/** The pattern compiled, or why it is not a regular expression. Compiling is safe on any thread; matching is not. */
export function compileLabelPattern(pattern: string): { re: RegExp; error: null } | { re: null; error: string } {
  try {
    return { re: new RegExp(pattern), error: null };
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    return { re: null, error: `Not a valid regular expression: ${why}` };
  }
}

/** A result with no labels and a message, for a pattern that could not be applied. */
export function failedResult(error: string, count: number): RegexResult {
  return { error, labels: new Array<null>(count).fill(null), counts: [], unmatched: count };
}

/** The label of each name: the first group, or the whole match when the pattern has no group; null for no match. */
export function applyPattern(pattern: string, names: readonly string[]): RegexResult {
  const compiled = compileLabelPattern(pattern);
  if (compiled.re === null) return failedResult(compiled.error, names.length);
  const re = compiled.re;
  const labels = names.map((n) => {
    const m = re.exec(n);
    return m ? (m[1] ?? m[0]) : null;
  });
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  return {
    error: null,
    labels,
    counts: [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    unmatched: labels.filter((l) => l === null).length,
  };
}
