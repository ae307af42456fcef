#!/usr/bin/env node
// Runs a TypeScript CLI (scripts/*.ts) that uses TF.js: bundles it with esbuild first, because TF.js's ES modules
// import each other without file extensions, which Node's own loader refuses. Native and optional packages stay
// external. Usage: node scripts/run-ts.mjs scripts/train.ts [args...]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
// RUN_TS_OUT=<file> writes the bundle there and stops (to carry a benchmark to another machine).
const outfile = process.env.RUN_TS_OUT
  ? resolve(process.env.RUN_TS_OUT)
  : join(resolve('node_modules/.cache/pets-scripts'), `${basename(entry, '.ts')}.mjs`);
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  outfile,
  mainFields: ['module', 'main'],
  external: ['sharp', 'webgpu', 'tar', '@playwright/test', 'playwright', 'playwright-core', 'esbuild'],
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { dirname as __dirnameOf } from 'node:path';",
      "import { fileURLToPath as __toPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      // Emscripten glue (TF.js wasm) reads __dirname in Node; files it needs are located with setWasmPaths.
      'const __filename = __toPath(import.meta.url); const __dirname = __dirnameOf(__filename);',
    ].join(' '),
  },
  logLevel: 'error',
  sourcemap: 'inline',
});
if (process.env.RUN_TS_OUT) {
  console.log(`bundled ${entry} into ${outfile}`);
} else {
  process.argv = [process.argv[0], outfile, ...args];
  await import(pathToFileURL(outfile).href);
}
