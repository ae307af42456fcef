// A one-line progress bar for long work: done/total, rate, and time left.

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

/** The text of a progress line, e.g. "[#####.....] 50% 400.0 MB / 800.0 MB  12.3 MB/s  32s left". */
export function progressLine(
  done: number,
  total: number | undefined,
  elapsedS: number,
  unit: 'bytes' | 'images',
  width = 24,
): string {
  const fmt = (n: number) => (unit === 'bytes' ? formatBytes(n) : `${n}`);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const rateText = unit === 'bytes' ? `${formatBytes(rate)}/s` : `${rate.toFixed(0)} images/s`;
  if (!total) return `${fmt(done)}  ${rateText}`;
  const frac = Math.min(1, done / total);
  const filled = Math.round(frac * width);
  const left = rate > 0 ? (total - done) / rate : Infinity;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${fmt(done)} / ${fmt(total)}  ${rateText}  ${formatDuration(left)} left`;
}

/** Redraws one line on a terminal at most every 100 ms; prints occasional lines elsewhere (CI logs). */
export function progressReporter(label: string, unit: 'bytes' | 'images', stream: NodeJS.WriteStream = process.stderr) {
  const start = performance.now();
  let last = 0;
  let lastPrinted = -1;
  return {
    update(done: number, total?: number, force = false) {
      const now = performance.now();
      if (!force && now - last < 100) return;
      last = now;
      const line = `${label} ${progressLine(done, total, (now - start) / 1000, unit)}`;
      if (stream.isTTY) stream.write(`\r${line.padEnd(100)}`);
      else {
        const pct = total ? Math.floor((done / total) * 10) : -1;
        // A forced final line is skipped when the 100% line is already out (it would print twice).
        if (pct !== lastPrinted || (force && pct !== 10)) {
          stream.write(`${line}\n`);
          lastPrinted = pct;
        }
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
