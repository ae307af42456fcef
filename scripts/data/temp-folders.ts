// Temporary folders (the pack writer's, an extraction's): removed when the process exits or is interrupted
// (SIGINT, SIGTERM, SIGHUP), and, on a later run, the pack writer's that a dead process left behind (recognised by
// our name pattern and a pid no longer alive).
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  uninstall();
  process.kill(process.pid, signal); // no listener left: the default action ends the process as the signal asks
}

function install(): void {
  process.on('exit', removeAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  process.off('exit', removeAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** The temp folder name for a pack written to `out` by this process: `.<name>.<pid>.<ms>.tmp` beside it. */
export function tempPathFor(out: string, pid = process.pid, ms = Date.now()): string {
  return join(dirname(out), `.${basename(out)}.${pid}.${ms}.tmp`);
}

/** Removes `dir` if this process exits or is interrupted before `release(dir)`. */
export function holdTemp(dir: string): void {
  if (live.size === 0) install();
  live.add(dir);
}

export function releaseTemp(dir: string): void {
  if (!live.delete(dir)) return;
  if (live.size === 0) uninstall();
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temp folders that writers of `out` which died left beside it. A `.old` folder (the previous pack, moved
 * aside an instant before the new one took its place) is put back when `out` is missing, else removed.
 * Returns the names it cleaned.
 */
export function cleanStaleTemps(out: string, alive: (pid: number) => boolean = isAlive): string[] {
  const parent = dirname(out);
  if (!existsSync(parent)) return [];
  const pattern = new RegExp(`^\\.${escape(basename(out))}\\.(\\d+)\\.(\\d+)\\.tmp(\\.old)?$`);
  const cleaned: string[] = [];
  for (const name of readdirSync(parent)) {
    const m = pattern.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const path = join(parent, name);
    if (!statSync(path).isDirectory()) continue;
    if (m[3] && !existsSync(out)) renameSync(path, out);
    else rmSync(path, { recursive: true, force: true });
    cleaned.push(name);
  }
  return cleaned;
}
