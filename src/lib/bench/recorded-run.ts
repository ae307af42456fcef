// One measured figure in benchmarks/results.json, as the Performance page shows it.
export interface RecordedRun {
  date: string;
  machine: string;
  command: string;
  metric: string;
  value: number;
  unit: string;
  backend?: string;
}

/** The figures of one benchmark run that one command produced. */
export interface CommandFigures {
  command: string;
  figures: RecordedRun[];
}

/** One benchmark run: a machine at a moment (the figures recorded together share the date to the millisecond). */
export interface RecordedSession {
  date: string;
  machine: string;
  /** By command, in the order recorded. */
  commands: CommandFigures[];
}

/**
 * The figures as the Performance page lists them: by run, newest first, each run's machine and date said once, and
 * within a run each command said once above the figures it produced.
 */
export function groupRuns(runs: readonly RecordedRun[]): RecordedSession[] {
  const sessions = new Map<string, RecordedSession>();
  for (const r of runs) {
    const key = `${r.date}\u0000${r.machine}`;
    let s = sessions.get(key);
    if (!s) sessions.set(key, (s = { date: r.date, machine: r.machine, commands: [] }));
    let c = s.commands.find((c) => c.command === r.command);
    if (!c) s.commands.push((c = { command: r.command, figures: [] }));
    c.figures.push(r);
  }
  // Newest first; Array.prototype.sort is stable, so runs of one moment keep their recorded order.
  return [...sessions.values()].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
}
