// How many threads the wasm backend computes on. TF.js's own default is half the logical cores, at most 4. We leave
// one core to the page and the rest of the machine (drawing the charts, scrolling, the reader's other tabs) and use
// every other core the browser reports, up to the 8 compute workers TF.js's threaded build starts with plus the
// engine's own thread (more would have to start while the engine waits for them): one thread on two cores, three on
// four. ?threads=N asks for N, within the same bounds. Threads run only where the page is cross-origin isolated;
// elsewhere wasm computes on one, whatever this says.

/** The most threads: the compute workers TF.js's threaded wasm build starts with, plus the engine's own. */
export const MAX_WASM_THREADS = 9;

/** The threads to ask for: `asked` (?threads=) when it is a whole number from 1 to MAX, else all cores but one. */
export function wasmThreadsWanted(asked: string | null, cores: number | undefined): number {
  if (asked !== null && /^[1-9]$/.test(asked.trim())) return Math.min(Number(asked.trim()), MAX_WASM_THREADS);
  const n = Number.isInteger(cores) && cores! > 1 ? cores! - 1 : 1;
  return Math.min(n, MAX_WASM_THREADS);
}

/**
 * The global our patched copy of TF.js's threaded wasm factory reads the browser's logical cores from
 * (src/site/wasm-threads-plugin.mjs). TF.js's C++ computes on at most half of them, so the engine sets it to twice
 * the threads it wants.
 */
export const LOGICAL_CORES = 'petsWasmLogicalCores';

/** Makes TF.js's threaded wasm build compute on `threads` threads (call before the backend starts). */
export function reportCoresFor(threads: number): void {
  (globalThis as Record<string, unknown>)[LOGICAL_CORES] = 2 * threads;
}
