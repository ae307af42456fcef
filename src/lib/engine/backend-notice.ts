// The one sentence a demo shows about the backend it runs on, when there is something to say: a backend forced
// with ?backend= that could not start, a software GPU passed over for wasm, or no WebGPU at all. No TF.js import.
import type { BackendName } from './backend-names';

export interface Skipped {
  name: BackendName;
  why: string;
  /** The software renderer's name, when that is why it was passed over. */
  software?: string;
}

/** On wasm: the threads it computes on, and whether the page is cross-origin isolated (threads need it). */
export interface WasmThreads {
  threads: number;
  isolated: boolean;
}

export function backendNotice(
  used: BackendName,
  skipped: readonly Skipped[],
  forced?: BackendName,
  wasm?: WasmThreads,
): string {
  const threads = used === 'wasm' && wasm ? threadsNotice(wasm) : '';
  return [choiceNotice(used, skipped, forced), threads].filter(Boolean).join(' ');
}

function choiceNotice(used: BackendName, skipped: readonly Skipped[], forced?: BackendName): string {
  if (forced && used !== forced) {
    const why = skipped.find((s) => s.name === forced)?.why ?? 'it failed to start';
    return `You asked for ${forced} (?backend=${forced}), but it could not start here (${why}), so this runs on ${used} instead.`;
  }
  if (used === 'webgpu') return '';
  const gpu = skipped.find((s) => s.name === 'webgpu');
  if (gpu?.software) {
    return `The only WebGPU here is a software one (${gpu.software}), much slower than the CPU's wasm backend, so this runs on ${used}; add ?backend=webgpu to the address to use it anyway.`;
  }
  if (gpu) return `WebGPU is not available here (${gpu.why}), so this runs on ${used}: the same maths, only slower.`;
  return '';
}

/** How many CPU threads wasm computes on, and why only one where isolation is missing. */
export function threadsNotice({ threads, isolated }: WasmThreads): string {
  if (threads > 1) return `WebAssembly computes on ${threads} CPU threads.`;
  if (isolated) return 'WebAssembly computes on one CPU thread.';
  return "WebAssembly computes on one CPU thread: threads need a cross-origin isolated page, and this site's host sends no COOP/COEP headers. Once the site is available offline (see the footer), the next visit gets them from its service worker and computes on threads.";
}
