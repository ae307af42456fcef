// WebGPU in Node for the --backend webgpu tools (bench, bench:conv, train), through the `webgpu` package (Dawn).
// Where Dawn finds no adapter (no GPU, or no driver for it), the process runs itself again on Chromium's SwiftShader
// Vulkan driver, found as npm test finds it (scripts/chromium/paths.mjs): Dawn's Vulkan loader reads
// VK_ICD_FILENAMES, and LD_LIBRARY_PATH (for the libvulkan beside it) only counts from a process's start.
import { spawn } from 'node:child_process';
import { chromiumEnv, findSwiftShader } from './chromium/paths.mjs';
import { thisMachine } from './chromium/this-machine.mjs';
import { softwareGpu } from '../src/lib/engine/software-gpu';

/** Set in the rerun process: SwiftShader is already the driver, so no adapter now is final. */
const ON_SWIFTSHADER = 'PETS_WEBGPU_ON_SWIFTSHADER';

interface NodeGpu {
  requestAdapter(): Promise<{
    info?: { vendor?: string; architecture?: string; device?: string; description?: string };
    isFallbackAdapter?: boolean;
  } | null>;
}
type WebGpuPackage = { create(args: string[]): NodeGpu; globals: object };

const NO_SWIFTSHADER =
  'No WebGPU adapter here (no GPU, or no driver for it), and no SwiftShader driver to stand in for one. Install Chromium ' +
  '(apt-get install -y chromium, or npx playwright install chromium) or set CHROMIUM_PATH to one, or use --backend wasm.';

/** Runs this same command again with `env` added and ends with its exit status; never returns. */
async function rerun(env: Record<string, string>): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (c, s) => done([c, s]));
  });
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
}

/**
 * Makes `navigator.gpu` and WebGPU's globals those of the `webgpu` package, with an adapter behind them: a GPU's,
 * else SwiftShader's after a rerun (saying so in one line), else an error that says what to install.
 */
export async function provideNodeWebGpu(): Promise<void> {
  let webgpu: WebGpuPackage;
  try {
    webgpu = (await import(/* @vite-ignore */ 'webgpu' as string)) as WebGpuPackage;
  } catch {
    throw new Error(
      "WebGPU in Node needs the optional `webgpu` package (npm install webgpu) and a GPU (or Chromium's SwiftShader driver).",
    );
  }
  const gpu = webgpu.create([]);
  const adapter = await gpu.requestAdapter();
  const retried = process.env[ON_SWIFTSHADER] === '1';
  if (!adapter) {
    if (retried)
      throw new Error(
        `No WebGPU adapter, not even SwiftShader's (VK_ICD_FILENAMES=${process.env['VK_ICD_FILENAMES'] ?? ''}): that driver did not start. Use --backend wasm.`,
      );
    const swiftshader = findSwiftShader(thisMachine(process.env, process.cwd()));
    if (!swiftshader) throw new Error(NO_SWIFTSHADER);
    await rerun({ ...chromiumEnv({ swiftshader }, process.env, { forceIcd: true }), [ON_SWIFTSHADER]: '1' });
  }
  // GPUAdapterInfo's fields are getters: read them one by one (a spread would copy none).
  const info = adapter?.info;
  const software = softwareGpu({
    vendor: info?.vendor,
    architecture: info?.architecture,
    device: info?.device,
    description: info?.description,
    isFallbackAdapter: adapter?.isFallbackAdapter,
  });
  if (software) {
    const why = retried
      ? `no GPU adapter here, so Chromium's driver from ${process.env['LD_LIBRARY_PATH']?.split(':')[0]} stands in`
      : 'the only adapter here';
    console.error(
      `WebGPU: ${software}, a software adapter running on the CPU (${why}): slow, and its times are no GPU's.`,
    );
  }
  Object.assign(globalThis, webgpu.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
}
