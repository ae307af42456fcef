// The PyTorch peer's protocol, against a stand-in for Python that answers as torch-peer.py does (CI has no torch).
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTorchPeer } from './torch-peer';

const saved = process.env['BENCH_PYTHON'];
afterEach(() => {
  if (saved === undefined) delete process.env['BENCH_PYTHON'];
  else process.env['BENCH_PYTHON'] = saved;
});

function fakePython(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'peer-')), 'python');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('the PyTorch peer', () => {
  it('times one step per request and names itself from what the script reports', async () => {
    // Answers each line with the step count it was asked for, so the times show the requests went one by one.
    process.env['BENCH_PYTHON'] = fakePython(
      `echo '{"ready": true, "torch": "9.9.9", "threads": 1}'\nn=0\nwhile read line; do n=$((n+1)); echo "{\\"ms\\": [$n]}"; done`,
    );
    const peer = await startTorchPeer({ batch: 4, size: 32, threads: 1 });
    if ('missing' in peer) throw new Error(peer.missing);
    expect(peer.name).toBe('PyTorch 9.9.9 eager, 1 thread');
    expect([await peer.step(), await peer.step(), await peer.step()]).toEqual([1, 2, 3]);
    expect(peer.times).toEqual([1, 2, 3]);
    peer.close();
  });
  it('says why when the Python has no torch, and when there is no such Python', async () => {
    process.env['BENCH_PYTHON'] = fakePython(`echo '{"error": "no torch"}'; exit 3`);
    expect(await startTorchPeer({ batch: 4, size: 32, threads: 1 })).toEqual({
      missing: expect.stringMatching(/no PyTorch peer: .*python: no torch$/),
    });
    process.env['BENCH_PYTHON'] = '/nonexistent/python3';
    expect(await startTorchPeer({ batch: 4, size: 32, threads: 1 })).toEqual({
      missing: expect.stringMatching(/^no PyTorch peer: \/nonexistent\/python3: /),
    });
  });
});
