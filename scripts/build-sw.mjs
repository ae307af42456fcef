#!/usr/bin/env node
// Writes dist/sw.js, the site's service worker, with Workbox (workbox-build's generateSW): after one visit the pages,
// their scripts and styles, the TF.js wasm binaries, the search index, the demos' preview images, the pretrained body
// (/models/) and the pets pack's manifest are precached, each with its content hash as revision, so a new build
// replaces exactly what changed (the manifest is part of the build, so it always matches the shards deployed with
// it). The pack's shards are left to the pack loader's own Cache API cache (src/lib/data/pack-loader.ts), which keeps
// them once a demo has loaded them; they are never stored twice. Run after `astro build` and Pagefind.
// It also carries cross-origin isolation to hosts that cannot send headers: dist/sw-isolation.js, loaded first,
// adds COOP and COEP (src/site/isolation-headers.mjs) to every response the worker answers with, so from the visit
// after the first (once the worker controls the page) the wasm backend can compute on threads.
import { generateSW } from 'workbox-build';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isolationShim } from '../src/site/isolation-headers.mjs';

const dist = process.argv[2] ?? 'dist';
if (!existsSync(`${dist}/index.html`)) {
  console.error(`build-sw: ${dist}/index.html is missing; run astro build first.`);
  process.exit(1);
}

// Written whole under a temporary name, then renamed: never a half-written file.
writeFileSync(`${dist}/sw-isolation.js.tmp`, isolationShim());
renameSync(`${dist}/sw-isolation.js.tmp`, `${dist}/sw-isolation.js`);

const { count, size, warnings } = await generateSW({
  globDirectory: dist,
  globPatterns: ['**/*.{html,js,css,wasm,svg,png,jpg,woff2,json,xml,petw,pf_fragment,pf_index,pf_meta,pagefind}'],
  // The pack's shards are the pack loader's to cache.
  globIgnores: ['data/**/*.bin', 'sw.js', 'sw-isolation.js'],
  importScripts: ['sw-isolation.js'],
  swDest: `${dist}/sw.js`,
  inlineWorkboxRuntime: true,
  mode: 'production',
  sourcemap: false,
  // Demo state lives in the query string (?lrf.numIt=40): every query still gets the precached page.
  ignoreURLParametersMatching: [/.*/],
  directoryIndex: 'index.html',
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  skipWaiting: true,
  // Files named by their content hash need no revision of their own.
  dontCacheBustURLsMatching: /^_astro\//,
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
});
for (const w of warnings) console.warn(`build-sw: ${w}`);
console.log(`build-sw: ${dist}/sw.js precaches ${count} files, ${(size / 1048576).toFixed(1)} MB`);
