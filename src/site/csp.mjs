// The site's Content Security Policy, one list for Astro's <meta http-equiv="content-security-policy"> (astro.config)
// and for the header scripts/serve.mjs sends. Why each source is there:
// - script-src 'self': our bundles, the engine's module Worker (new Worker(new URL(...)), a same-origin file, not a
//   blob:) and Pagefind's script; Astro adds the hash of every inline script it writes (island hydration, the theme).
// - 'wasm-unsafe-eval': compiling WebAssembly, for TF.js's wasm backend (in the worker) and Pagefind's search (on the
//   page); it allows WebAssembly.compile/instantiate only, not eval() or new Function().
// - style-src-elem 'self' plus Astro's hashes for <style> elements; style-src-attr 'unsafe-inline' for style="" attributes:
//   KaTeX lays formulas out with them (heights, vertical offsets), Shiki colours every token through them, and Svelte
//   writes style="" (bar widths, chart positions) in the server-rendered HTML. Hashes cannot cover attributes without
//   'unsafe-hashes', and those values are computed per page and per state. Attributes can style, not run code.
// - img-src data: blob:: images decoded in the page (canvas snapshots, object URLs); font-src 'self' data:: KaTeX's fonts, the
//   smallest of which Vite inlines into our own CSS as data: URLs.
// - connect-src 'self': the data pack, the pretrained body, Pagefind's index; nothing else is ever contacted.
// - The engine's worker alone (its script's header, WORKER_DIRECTIVES) also allows blob: workers and scripts: TF.js's
//   threaded wasm build starts its compute threads from a blob: worker that loads the build's own code from a blob:
//   (both made by TF.js inside our worker from its bundled code, never fetched). Pages keep worker-src 'self'.

import { createHash } from 'node:crypto';
import { THEME_SCRIPT } from './theme-script.mjs';

/** A CSP source for an inline script's exact text. */
export const sha256Source = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const SCRIPT_SOURCES = ["'self'", "'wasm-unsafe-eval'"];

export const OTHER_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** The engine worker's script and worker sources (served with its script, scripts/serve.mjs). */
export const WORKER_DIRECTIVES = [`script-src ${[...SCRIPT_SOURCES, 'blob:'].join(' ')}`, "worker-src 'self' blob:"];

/** Astro's security.csp option. */
export const cspConfig = {
  algorithm: 'SHA-256',
  directives: OTHER_DIRECTIVES,
  // The theme script is is:inline (it must run before paint), so Astro does not hash it; its hash is listed here.
  scriptDirective: { resources: SCRIPT_SOURCES, hashes: [sha256Source(THEME_SCRIPT).slice(1, -1)] },
  styleDirective: {
    resources: [
      { resource: "'self'", kind: 'element' },
      { resource: "'unsafe-inline'", kind: 'attribute' },
    ],
  },
};
