// Chooses the TF.js backend: WebGPU, then WebGL, then wasm, then cpu; or the one a page forces with ?backend=.
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, type BackendName } from './backend-names';
import { softwareGpu, type AdapterFacts } from './software-gpu';
import type { WasmThreads } from './backend-notice';
import { reportCoresFor } from './wasm-threads';

export { BACKENDS, isBackendName, type BackendName } from './backend-names';

/** Where the wasm backend finds its binaries: a folder URL, or a URL per file name. */
export type WasmPaths = string | Record<string, string>;

async function register(name: BackendName, wasmPaths?: WasmPaths, threads?: number): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmPaths) wasm.setWasmPaths(wasmPaths);
    if (threads === 1) {
      // One thread: the plain SIMD build. The threaded one would start its 8 compute workers all the same.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    } else if (threads) {
      reportCoresFor(threads);
      wasm.setThreadsCount(threads);
    }
  } else await import('@tensorflow/tfjs-backend-cpu');
  await (await import('../kernels/register')).registerOwnKernels(name);
}

export interface SkippedBackend {
  name: BackendName;
  why: string;
  /** Set when it was passed over because its GPU is a software renderer (the renderer's name). */
  software?: string;
}

export interface BackendChoice {
  name: BackendName;
  /** Backends tried before it and why they were passed over. */
  skipped: SkippedBackend[];
  /** On wasm, the threads it computes on, and whether the page is cross-origin isolated (threads need it). */
  wasm?: WasmThreads;
}

/** The wasm backend's threads: its threaded build runs only where the page is cross-origin isolated. */
async function wasmThreads(): Promise<WasmThreads> {
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  return { threads: getThreadsCount(), isolated: globalThis.crossOriginIsolated === true };
}

/** What the browser's WebGPU adapter says about itself; null when there is no adapter. */
async function webGpuAdapterFacts(): Promise<AdapterFacts | null> {
  type Info = {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  const gpu = (
    navigator as unknown as {
      gpu: {
        requestAdapter(
          o?: object,
        ): Promise<{ isFallbackAdapter?: boolean; info?: Info; requestAdapterInfo?: () => Promise<Info> } | null>;
      };
    }
  ).gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  // GPUAdapterInfo's fields are getters: read them one by one (a spread would copy nothing).
  return {
    isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
}

/** WebGL's renderer string (unmasked where the browser allows), or null when WebGL cannot start here. */
function webGlRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
  if (!gl) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = `${gl.getParameter(gl.RENDERER)} ${debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : ''}`;
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

/**
 * Why a backend that was not forced is passed over: its GPU is a software renderer (SwiftShader and the like), many
 * times slower than wasm on the same CPU. A forced backend is always tried.
 */
export function softwareSkip(
  name: BackendName,
  forced: BackendName | undefined,
  facts: AdapterFacts | string | null,
): SkippedBackend | null {
  if (name === forced || (name !== 'webgpu' && name !== 'webgl')) return null;
  const software = softwareGpu(facts);
  if (!software) return null;
  const api = name === 'webgpu' ? 'WebGPU adapter' : 'WebGL renderer';
  return { name, software, why: `the ${api} here is a software one (${software}), much slower than wasm` };
}

/**
 * Initialises the first backend that works, in order, starting from `forced` when given (a forced backend that fails
 * falls back to the others, and says so in `skipped`). WebGPU and WebGL on a software renderer are passed over
 * unless forced. `threads` is what wasm is asked to compute on (wasm-threads.ts); TF.js's default without it.
 */
export async function initBackend(
  forced?: BackendName,
  wasmPaths?: WasmPaths,
  threads?: number,
): Promise<BackendChoice> {
  const order = forced ? [forced, ...BACKENDS.filter((b) => b !== forced)] : [...BACKENDS];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of order) {
    if (name === 'webgpu' && (typeof navigator === 'undefined' || !('gpu' in navigator))) {
      skipped.push({ name, why: 'WebGPU is not available in this browser' });
      continue;
    }
    try {
      if (name !== forced && (name === 'webgpu' || name === 'webgl')) {
        const facts = name === 'webgpu' ? await webGpuAdapterFacts() : webGlRenderer();
        if (facts === null) {
          skipped.push({
            name,
            why: name === 'webgpu' ? 'the browser offers no WebGPU adapter' : 'WebGL cannot start here',
          });
          continue;
        }
        const skip = softwareSkip(name, forced, facts);
        if (skip) {
          skipped.push(skip);
          continue;
        }
      }
      await register(name, wasmPaths, threads);
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name === 'wasm' ? { name, skipped, wasm: await wasmThreads() } : { name, skipped };
      }
      skipped.push({ name, why: 'initialisation failed' });
    } catch (error) {
      skipped.push({ name, why: (error as Error).message });
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`);
}
