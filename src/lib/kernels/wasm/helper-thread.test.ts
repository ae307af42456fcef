// The helper thread: our multiply split over two threads against the same multiply on one, value for value; and what
// callers see when the helper cannot start or its job traps. Node's worker_threads stand in for the browser's Worker.
import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { gemmHelperOn, gemmOn, gemmOnTwo, gemmModuleBytes, type GemmArgs } from './gemm-simd';
import { HelperThread, type Spawn } from './helper-thread';

const started: { terminate(): void }[] = [];
const nodeSpawn: Spawn = (source, init) => {
  const w = new Worker(`(${source})(require('node:worker_threads').workerData)`, { eval: true, workerData: init });
  started.push(w);
  return w;
};
afterAll(() => started.forEach((w) => w.terminate()));

async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A shared memory holding A [m, k] (by rows, or transposed), B [k, n], C and a scratch C, all filled. */
function layout(m: number, n: number, k: number, transposed: boolean) {
  const floats = 2 * (m * k + k * n + 2 * m * n) + 256;
  const pages = Math.ceil((floats * 4) / 65536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages + 4, shared: true });
  const f = new Float32Array(memory.buffer);
  const A = 16;
  const B = A + m * k + 8;
  const C = B + k * n + 8;
  const S = C + m * n + 8;
  const [ra, ka] = transposed ? [1, m] : [k, 1];
  for (let i = 0; i < m; i++) for (let kk = 0; kk < k; kk++) f[A + i * ra + kk * ka] = Math.sin(i * 1.7 + kk * 0.3);
  for (let kk = 0; kk < k; kk++) for (let j = 0; j < n; j++) f[B + kk * n + j] = Math.cos(kk * 0.9 - j * 0.5);
  f.fill(0.25, C, C + m * n);
  f.fill(99, S, S + m * n); // the scratch is zeroed by the split multiply
  f[S + m * n] = 7; // past the scratch: must stay
  const args: GemmArgs = {
    a: 4 * A,
    ra: 4 * ra,
    ka: 4 * ka,
    b: 4 * B,
    ldb: 4 * n,
    c: 4 * C,
    ldc: 4 * n,
    m,
    n,
    k,
    kc: 64,
  };
  return { memory, f, args, C, S };
}

describe('the helper thread', () => {
  for (const [m, n, k, transposed] of [
    [32, 32, 1001, false],
    [8, 16, 3, true],
    [64, 24, 4096, true],
  ] as const) {
    it(`splits [${m} x ${k}] x [${k} x ${n}] (A ${transposed ? 'transposed' : 'by rows'}) over two threads, as one does`, async () => {
      const one = layout(m, n, k, transposed);
      gemmOn(one.memory)!(one.args);
      const two = layout(m, n, k, transposed);
      const helper = gemmHelperOn(two.memory, nodeSpawn)!;
      expect(helper).not.toBeNull();
      await until(() => helper.ready);
      gemmOnTwo(two.memory, helper, two.args, 4 * two.S);
      gemmOnTwo(two.memory, helper, two.args, 4 * two.S); // twice into the same C, the scratch zeroed again
      const want = one.f.subarray(one.C, one.C + m * n);
      const got = two.f.subarray(two.C, two.C + m * n);
      // Two products into the same C: 0.25 + 2 A B against 0.25 + A B, so compare the increments.
      for (let i = 0; i < m * n; i++)
        expect(Math.abs(got[i]! - 0.25 - 2 * (want[i]! - 0.25)), `C[${i}]`).toBeLessThan(2e-4 * (1 + Math.sqrt(k)));
      expect(two.f[two.S + m * n]).toBe(7);
      // The same helper serves its memory again; another memory gets its own.
      expect(gemmHelperOn(two.memory, nodeSpawn)).toBe(helper);
    });
  }

  it('is null on a memory that is not shared, and computes alone until ready', () => {
    expect(gemmHelperOn(new WebAssembly.Memory({ initial: 1 }), nodeSpawn)).toBeNull();
    const l = layout(8, 8, 10, false);
    const never = new HelperThread(l.memory, new WebAssembly.Module(gemmModuleBytes(true)), 'gemm', () => ({
      terminate() {},
    }));
    expect(never.ready).toBe(false);
    expect(never.share({ ...l.args, helperC: 4 * l.S, chunk: 4 }, () => {})).toBe(false);
    // Not ready: gemmOnTwo computes the whole product on this thread.
    gemmOnTwo(l.memory, never, l.args, 4 * l.S);
    const ref = layout(8, 8, 10, false);
    gemmOn(ref.memory)!(ref.args);
    expect([...l.f.subarray(l.C, l.C + 64)]).toEqual([...ref.f.subarray(ref.C, ref.C + 64)]);
  });

  it('is failed, never ready, where no worker can start', () => {
    const l = layout(8, 8, 10, false);
    const module = new WebAssembly.Module(gemmModuleBytes(true));
    expect(new HelperThread(l.memory, module, 'gemm', () => null).failed).toBe(true);
    const throwing = new HelperThread(l.memory, module, 'gemm', () => {
      throw new Error('blocked by policy');
    });
    expect(throwing.failed).toBe(true);
    expect(throwing.share({ ...l.args, helperC: 4 * l.S, chunk: 4 }, () => {})).toBe(false);
  });

  it('fails where the module lacks its entry', async () => {
    const l = layout(8, 8, 10, false);
    const h = new HelperThread(l.memory, new WebAssembly.Module(gemmModuleBytes(true)), 'nope', nodeSpawn);
    await until(() => h.failed);
    expect(h.ready).toBe(false);
  });

  it('reports a part that traps, and takes the next job', async () => {
    const l = layout(8, 8, 1000, false);
    const h = new HelperThread(l.memory, new WebAssembly.Module(gemmModuleBytes(true)), 'gemm', nodeSpawn);
    await until(() => h.ready);
    const gemm = gemmOn(l.memory)!;
    // This thread is slow on its chunks, so the helper takes one: B beyond the memory's end traps there.
    let mine = 0;
    const slow = () => {
      mine++;
      const t0 = Date.now();
      while (Date.now() - t0 < 50);
    };
    const bad = { ...l.args, b: 0x7ffffff0, helperC: 4 * l.S, chunk: 250 }; // four chunks
    expect(() => h.share(bad, slow)).toThrow(/failed on its part/);
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(4);
    const args = l.args;
    const ok = h.share({ ...args, helperC: 4 * l.S, chunk: 100 }, (a, b, c, k) => gemm({ ...args, a, b, c, k }));
    expect(ok).toBe(true);
    h.stop();
    expect(h.ready).toBe(false);
  });
});
