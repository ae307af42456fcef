#!/usr/bin/env node
// npm run bench:record -- <file.json> [<file.json> ...] [--results benchmarks/results.json]
// Adds the figures in benchmark JSON outputs (npm run bench / bench:conv with --json) to benchmarks/results.json,
// which the Performance page shows: for runs made on another machine, such as a GPU machine without this checkout's
// tools, whose JSON files came back. Every file is read and checked first; if any is not a benchmark's output, nothing
// is recorded. Then it checks the speed targets on them, where they hold the runs to check (./bench/targets.ts).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { figuresOf, type BenchJson } from './bench/figures';
import { checkTargets, formatTargets } from './bench/targets';
import { recordRuns, RESULTS_FILE } from './bench/record';
import type { RecordedRun } from '../src/lib/bench/recorded-run';

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { results: { type: 'string', default: RESULTS_FILE } },
  });
  if (!positionals.length)
    throw new Error('name the JSON files to record: npm run bench:record -- out/bench-b64-ours.json ...');
  const figures: RecordedRun[] = [];
  const outputs: BenchJson[] = [];
  for (const file of positionals) {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as BenchJson;
      figures.push(...figuresOf(json));
      outputs.push(json);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
  }
  recordRuns(figures, values.results);
  for (const line of formatTargets(checkTargets(outputs))) console.log(line);
}

try {
  main();
} catch (error) {
  console.error(`error: ${(error as Error).message}; nothing was recorded`);
  process.exit(1);
}
