#!/usr/bin/env node
// A small static file server for the built site (dist/): correct content types (wasm, json, binary shards),
// directory index files, the site's 404 page, the Content Security Policy and cross-origin isolation (COOP/COEP) as
// headers, and only loopback by default.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { OTHER_DIRECTIVES, WORKER_DIRECTIVES } from '../src/site/csp.mjs';
import { ISOLATION_HEADERS } from '../src/site/isolation-headers.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.bin': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const full = resolve(root, `.${sep}${path}`);
  if (!isInside(root, full)) return null;
  for (const candidate of [full, join(full, 'index.html')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next candidate
    }
  }
  return null;
}

/** Whether `full` is `root` or lies under it (a sibling such as `dist-private` beside `dist` does not). */
function isInside(root, full) {
  const rel = relative(root, full);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The policy for workers and every other non-page response: the site's, without a page's inline-script hashes, plus
 * the blob: workers and scripts of TF.js's threaded wasm build (src/site/csp.mjs says why).
 */
const BASE_POLICY = [...OTHER_DIRECTIVES.filter((d) => !d.startsWith('worker-src')), ...WORKER_DIRECTIVES].join('; ');

/** A page's policy is the one Astro wrote into its <meta http-equiv>, so header and meta agree exactly. */
function policyFor(file) {
  if (extname(file) !== '.html') return BASE_POLICY;
  const html = readFileSync(file, 'utf8');
  const meta = html.match(/<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"/i);
  return meta ? meta[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim() : BASE_POLICY;
}

/** `isolation: false` leaves COOP/COEP out, as a host that sends no headers would (the e2e test of the fallback). */
export function serve({ root = 'dist', port = 4321, host = '127.0.0.1', isolation = true } = {}) {
  const dir = resolve(root);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    // Directories are linked with a trailing slash; redirect the bare form like static hosts do.
    const file = fileFor(dir, url);
    if (
      file &&
      !url.split('?')[0].endsWith('/') &&
      file.endsWith('index.html') &&
      !url.split('?')[0].endsWith('.html')
    ) {
      res.writeHead(301, { location: url.replace(/^([^?]*)/, '$1/') });
      return res.end();
    }
    const target = file ?? fileFor(dir, '/404.html');
    const status = file ? 200 : 404;
    if (!target) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(status, {
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'content-security-policy': policyFor(target),
      'x-content-type-options': 'nosniff',
      ...(isolation ? ISOLATION_HEADERS : {}),
    });
    createReadStream(target).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

// Run as a command only when this file itself is the entry point (not when bundled into a benchmark script).
if (basename(process.argv[1] ?? '') === 'serve.mjs' && import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 4321);
  const host = process.env.HOST ?? '127.0.0.1';
  serve({ port, host }).then(
    () => console.log(`Serving dist/ at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`),
    (error) => {
      console.error(`Could not serve on ${host}:${port}: ${error.message}`);
      process.exit(1);
    },
  );
}
