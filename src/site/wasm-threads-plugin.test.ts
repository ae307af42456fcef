// The patch of TF.js's threaded wasm factory, on the real file in node_modules: every text it replaces is there
// (a TF.js upgrade that changes one fails here and in the build, not in a reader's browser), and afterwards the
// function TF.js sends to its compute threads reads nothing from the closure around it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCHES, THREADED_FACTORY, patchThreadedFactory, wasmThreadsPlugin } from './wasm-threads-plugin.mjs';
import { LOGICAL_CORES } from '../lib/engine/wasm-threads';

const file = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'wasm-out/tfjs-backend-wasm-threaded-simd.js',
);
const original = readFileSync(file, 'utf8');

/** The factory function TF.js turns into text for its threads: from its header to the end of the module's IIFE. */
const factoryText = (code: string) => code.slice(code.indexOf('function(WasmBackendModuleThreadedSimd)'));

describe("TF.js's threaded wasm factory, patched", () => {
  it('matches the module it is meant for, and only that one', () => {
    expect(THREADED_FACTORY.test(file)).toBe(true);
    expect(THREADED_FACTORY.test(file.replace('threaded-simd', 'simd'))).toBe(false);
  });
  it('finds every text it replaces in the installed TF.js', () => {
    for (const [read] of PATCHES) expect(original).toContain(read);
  });
  it('leaves the compute threads nothing to read from the closure, and reads the cores the engine sets', () => {
    expect(factoryText(original)).toContain('_scriptDir');
    const patched = patchThreadedFactory(original);
    expect(factoryText(patched)).not.toContain('_scriptDir');
    expect(patched).toContain(`globalThis["${LOGICAL_CORES}"]||navigator["hardwareConcurrency"]`);
  });
  it('fails loudly when TF.js changes, rather than shipping threads that cannot start', () => {
    expect(() => patchThreadedFactory(original.replace('||_scriptDir,', ',_scriptDir,'))).toThrow(/update the patch/);
  });
  it('as a Vite plugin, transforms that module and no other', () => {
    const plugin = wasmThreadsPlugin();
    expect(plugin.transform('x', '/a/b/c.js')).toBeNull();
    expect(plugin.transform(original, `${file}?v=1`)?.code).toBe(patchThreadedFactory(original));
  });
});
