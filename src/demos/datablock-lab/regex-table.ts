// Applies a labelling regex typed by a reader to file names: never throws, reports what happened.
export interface RegexResult {
  error: string | null;
  labels: (string | null)[];
  counts: [string, number][];
  unmatched: number;
}

export function applyPattern(pattern: string, names: readonly string[]): RegexResult {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (error) {
    return { error: `Not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`, labels: names.map(() => null), counts: [], unmatched: names.length };
  }
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
