// Appends measured runs to benchmarks/results.json, which the Performance page shows (date, machine, command each).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RecordedRun } from '../../src/lib/bench/recorded-run';

export type { RecordedRun } from '../../src/lib/bench/recorded-run';

export const RESULTS_FILE = 'benchmarks/results.json';

export function recordRuns(runs: RecordedRun[], file = RESULTS_FILE): void {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { note: string; runs: RecordedRun[] };
  data.runs.push(...runs);
  // Written whole to a temporary file, then renamed: a failed write leaves the old file as it was.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
  console.log(`recorded ${runs.length} figures in ${file}`);
}
