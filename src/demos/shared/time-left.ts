// The "time left" clause of a demo's status line, from the worker's estimate: seconds under a minute and a half,
// whole minutes above.

/** ', about 40 s left' or ', about 3 min left' (then `scope`, e.g. ' in this phase'); '' before there is an estimate. */
export function timeLeft(seconds: number | null, scope = ''): string {
  if (seconds === null) return '';
  return seconds < 90
    ? `, about ${Math.ceil(seconds)} s left${scope}`
    : `, about ${Math.round(seconds / 60)} min left${scope}`;
}
