// A Vite plugin for TF.js's threaded wasm build (its Emscripten factory), two small text patches:
// - Minification. TF.js starts each compute thread by sending the source text of the factory
//   (Function.prototype.toString) to a blob: worker. That function reads one variable of the closure around it,
//   `_scriptDir`, which a minifier renames and a worker never has: the threads then fail with "e is not defined"
//   (tensorflow/tfjs#4539). We give the wasm binaries' addresses ourselves (setWasmPaths), and TF.js always passes the
//   factory's source as mainScriptUrlOrBlob, so both reads can go.
// - Thread count. TF.js's C++ computes on at most half the logical cores the browser reports (it assumes two hardware
//   threads a core), whatever setThreadsCount asks: one thread on a two-core machine. The factory's count of logical
//   cores reads globalThis[LOGICAL_CORES] first, which the engine sets to twice the threads it wants (engine/backend.ts).
// The build fails if TF.js's text ever changes, rather than shipping threads that cannot start.

import { LOGICAL_CORES } from '../lib/engine/wasm-threads.ts';

/** The module this patches. */
export const THREADED_FACTORY = /[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

/** Each text the patch replaces, with what replaces it. */
export const PATCHES = [
  ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
  ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,', '"urlOrBlob":Module["mainScriptUrlOrBlob"],'],
  [
    'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}',
    `function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return globalThis["${LOGICAL_CORES}"]||navigator["hardwareConcurrency"]}`,
  ],
];

/** The threaded factory's code, patched (throws where a text to patch is not found). */
export function patchThreadedFactory(code) {
  let out = code;
  for (const [read, replacement] of PATCHES) {
    if (!out.includes(read))
      throw new Error(
        `wasm-threads-plugin: TF.js's threaded wasm factory no longer contains ${read}; update the patch`,
      );
    out = out.split(read).join(replacement);
  }
  return out;
}

export function wasmThreadsPlugin() {
  return {
    name: 'pets:wasm-threads',
    transform(code, id) {
      if (!THREADED_FACTORY.test(id.split('?')[0])) return null;
      return { code: patchThreadedFactory(code), map: null };
    },
  };
}
