// One more thread for our multiply (./gemm-simd.ts), on TF.js's shared memory. TF.js's threaded build runs XNNPACK's
// work on its own pool, but our modules run on the caller's thread alone; on two threads that left our
// filter-gradient multiply at one thread's rate, or XNNPACK's packed multiply with its one-thread packing. The helper
// is a worker that instantiates the multiply on the same WebAssembly.Memory. A job is one product C += A B whose
// reduction is cut into chunks: the caller and the helper each take the next chunk from a shared counter (Atomics)
// until none is left, the caller into C, the helper into a scratch C, so that a helper that wakes late, or shares its
// core for a moment, takes fewer chunks rather than holding the caller up. The helper spins a short while after each
// job (the next often follows within microseconds: a filter gradient's nine taps), then sleeps in Atomics.wait, and
// is woken only when it sleeps.
//
// It starts in the background: until it has instantiated its module (and wherever a worker cannot start: no shared
// memory, no Worker, a policy refusing blob: workers), `ready` is false and callers compute alone, as before.
import type { GemmArgs } from './gemm-simd';

/** Starts a worker running `source`, a function's text taking the HelperInit; null where no worker can start. */
export type Spawn = (source: string, init: HelperInit) => { terminate(): void } | null;

export interface HelperInit {
  memory: WebAssembly.Memory;
  /** Exports `gemm(a, ra, ka, b, ldb, c, ldc, m, n, k, kc)`: C += A B, A(i, k) at a + i ra + k ka (./gemm-simd.ts). */
  module: WebAssembly.Module;
  /** The export to call. */
  entry: string;
  control: SharedArrayBuffer;
  /** How long the helper spins for the next job before it sleeps (ms). */
  spinMs: number;
}

/**
 * A product to share: the multiply's arguments (./gemm-simd.ts; `c` this thread's C), the helper's C (same layout,
 * zeroed by the caller) and the reduction's rows a chunk.
 */
export type SharedProduct = GemmArgs & { helperC: number; chunk: number };

// The control block's int32 slots.
const STATE = 0; // 0 while starting, then READY or FAILED
const POSTED = 1; // the last job's number
const DONE = 2; // the last job the helper finished
const ERROR = 3; // 1 when that job threw
const NEXT = 4; // the next chunk to take
const SLEEPING = 5; // 1 while the helper waits in Atomics.wait
const ARGS = 8; // the job: a, ra, ka, b, ldb, helperC, ldc, m, n, k, kc, chunk
const READY = 1;
const FAILED = 2;

/**
 * The helper's code, run in the worker with its HelperInit. Self-contained: it is sent as text (a function's own
 * source would not survive minification).
 */
export const HELPER_SOURCE = `(d) => {
  const ctl = new Int32Array(d.control);
  let run;
  try {
    run = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports[d.entry];
    if (typeof run !== 'function') throw new Error('no ' + d.entry);
  } catch (e) {
    Atomics.store(ctl, ${STATE}, ${FAILED});
    return;
  }
  Atomics.store(ctl, ${STATE}, ${READY});
  let seen = 0;
  for (;;) {
    let since = 0;
    for (let n = 1; Atomics.load(ctl, ${POSTED}) === seen; n++) {
      if ((n & 1023) !== 0) continue;
      const now = performance.now();
      if (since === 0) since = now;
      else if (now - since > d.spinMs) {
        Atomics.store(ctl, ${SLEEPING}, 1);
        if (Atomics.load(ctl, ${POSTED}) === seen) Atomics.wait(ctl, ${POSTED}, seen);
        Atomics.store(ctl, ${SLEEPING}, 0);
        since = 0;
      }
    }
    seen = Atomics.load(ctl, ${POSTED});
    const [a, ra, ka, b, ldb, c, ldc, m, n, k, kc, chunk] = ctl.subarray(${ARGS}, ${ARGS + 12});
    let failed = 0;
    try {
      for (let i = Atomics.add(ctl, ${NEXT}, 1); i * chunk < k; i = Atomics.add(ctl, ${NEXT}, 1)) {
        const k0 = i * chunk;
        run(a + k0 * ka, ra, ka, b + k0 * ldb, ldb, c, ldc, m, n, Math.min(chunk, k - k0), kc);
      }
    } catch (e) {
      failed = 1;
    }
    Atomics.store(ctl, ${ERROR}, failed);
    Atomics.store(ctl, ${DONE}, seen);
  }
}`;

/** The browser's way: a blob: worker that hears its HelperInit in its first message. */
export const browserSpawn: Spawn = (source, init) => {
  const g = globalThis as {
    Worker?: new (url: string) => { postMessage(m: unknown): void; terminate(): void };
    Blob?: typeof Blob;
    URL?: typeof URL;
  };
  if (!g.Worker || !g.Blob || typeof g.URL?.createObjectURL !== 'function') return null;
  const url = g.URL.createObjectURL(
    new g.Blob([`onmessage = (e) => (${source})(e.data);`], { type: 'text/javascript' }),
  );
  try {
    const worker = new g.Worker(url);
    worker.postMessage(init);
    return worker;
  } catch {
    return null;
  } finally {
    // The worker has fetched its script by the time it runs; revoking now would race that on some browsers.
    setTimeout(() => g.URL!.revokeObjectURL(url), 10_000);
  }
};

export class HelperThread {
  private readonly ctl: Int32Array;
  private posted = 0;
  private worker: { terminate(): void } | null;

  constructor(memory: WebAssembly.Memory, module: WebAssembly.Module, entry: string, spawn: Spawn, spinMs = 0.5) {
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * (ARGS + 16)));
    try {
      this.worker = spawn(HELPER_SOURCE, {
        memory,
        module,
        entry,
        control: this.ctl.buffer as SharedArrayBuffer,
        spinMs,
      });
    } catch {
      this.worker = null;
    }
    if (!this.worker) Atomics.store(this.ctl, STATE, FAILED);
  }

  /** Whether the helper has started and takes jobs. */
  get ready(): boolean {
    return Atomics.load(this.ctl, STATE) === READY;
  }

  /** Whether it could not start (it never will). */
  get failed(): boolean {
    return Atomics.load(this.ctl, STATE) === FAILED;
  }

  /**
   * C += A B with the helper, when it is ready (else false, and nothing is done): both threads take chunks of the
   * reduction, `gemm` (the same multiply, on this thread) into p.c, the helper into p.helperC. Throws if the helper's
   * part failed or it stopped answering; the caller then adds helperC into C.
   */
  share(p: SharedProduct, gemm: (a: number, b: number, c: number, k: number) => void, timeoutMs = 60_000): boolean {
    if (!this.ready) return false;
    const ctl = this.ctl;
    if (Atomics.load(ctl, DONE) !== this.posted) throw new Error('The helper thread is still on its last job.');
    [p.a, p.ra, p.ka, p.b, p.ldb, p.helperC, p.ldc, p.m, p.n, p.k, p.kc, p.chunk].forEach(
      (v, i) => (ctl[ARGS + i] = v),
    );
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, POSTED, ++this.posted);
    if (Atomics.load(ctl, SLEEPING) === 1) Atomics.notify(ctl, POSTED);
    for (let i = Atomics.add(ctl, NEXT, 1); i * p.chunk < p.k; i = Atomics.add(ctl, NEXT, 1)) {
      const k0 = i * p.chunk;
      gemm(p.a + k0 * p.ka, p.b + k0 * p.ldb, p.c, Math.min(p.chunk, p.k - k0));
    }
    const started = performance.now();
    for (let n = 1; Atomics.load(ctl, DONE) !== this.posted; n++) {
      if ((n & 4095) === 0 && performance.now() - started > timeoutMs) {
        this.stop();
        throw new Error(`The helper thread did not finish its part in ${timeoutMs / 1000} s; it is stopped.`);
      }
    }
    if (Atomics.load(ctl, ERROR) !== 0) throw new Error('The helper thread failed on its part (a wasm trap).');
    return true;
  }

  /** Ends the worker; the helper takes no more jobs. */
  stop(): void {
    Atomics.store(this.ctl, STATE, FAILED);
    this.worker?.terminate();
    this.worker = null;
  }
}
