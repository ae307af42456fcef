// The PyTorch peer of the CPU benchmark: torch-peer.py in a child process, stepping when asked, so npm run bench
// can time a PyTorch eager step between each of ours (interleaved, under the same load) and print the ratio.
// Optional: without python3 or torch, startTorchPeer says why and the bench runs alone.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { resolve } from 'node:path';

// npm scripts run at the package root (and run-ts.mjs bundles this file elsewhere, so not beside import.meta.url).
const SCRIPT = resolve('scripts/bench/torch-peer.py');

export interface TorchPeer {
  /** e.g. "PyTorch 1.13.0 eager, 1 thread". */
  name: string;
  threads: number;
  /** One training step; resolves to its time in ms. */
  step(): Promise<number>;
  /** Every step's time so far, in order. */
  times: number[];
  close(): void;
}

/**
 * Starts the peer at this shape with the first Python that has torch: $BENCH_PYTHON if set, else `python3` on the
 * PATH, else Debian's /usr/bin/python3 (where `apt-get install python3-torch` puts it, under a pyenv `python3`).
 * Says why when none has.
 */
export async function startTorchPeer(o: {
  batch: number;
  size: number;
  threads: number;
}): Promise<TorchPeer | { missing: string }> {
  const pythons = process.env['BENCH_PYTHON'] ? [process.env['BENCH_PYTHON']] : ['python3', '/usr/bin/python3'];
  let why = '';
  for (const python of pythons) {
    const peer = await startWith(python, o);
    if (!('missing' in peer)) return peer;
    why = peer.missing;
  }
  return { missing: why };
}

async function startWith(
  python: string,
  o: { batch: number; size: number; threads: number },
): Promise<TorchPeer | { missing: string }> {
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(python, [SCRIPT, `batch=${o.batch}`, `size=${o.size}`, `threads=${o.threads}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    return { missing: `${python} could not start (${(e as Error).message})` };
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string | null) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const ended = new Promise<null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', () => resolve(null));
  });
  ended.then(() => waiting.splice(0).forEach((w) => w(null)));
  const next = () => Promise.race([new Promise<string | null>((resolve) => waiting.push(resolve)), ended]);
  const first = await next();
  const hello = first
    ? (JSON.parse(first) as { ready?: boolean; error?: string; torch?: string; threads?: number })
    : null;
  if (!hello?.ready) {
    child.kill();
    const why = hello?.error ?? (stderr.trim().split('\n').at(-1) || 'not found');
    return { missing: `no PyTorch peer: ${python}: ${why}` };
  }
  const times: number[] = [];
  return {
    name: `PyTorch ${hello.torch} eager, ${hello.threads} thread${hello.threads === 1 ? '' : 's'}`,
    threads: hello.threads ?? o.threads,
    times,
    async step() {
      child.stdin.write('1\n');
      const line = await next();
      if (line === null) throw new Error(`the PyTorch peer stopped: ${stderr.trim().split('\n').at(-1) ?? ''}`);
      const ms = (JSON.parse(line) as { ms: number[] }).ms[0]!;
      times.push(ms);
      return ms;
    },
    close() {
      child.stdin.end();
    },
  };
}
