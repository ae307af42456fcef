// Cross-origin isolation: the two response headers that let a page share memory between threads
// (crossOriginIsolated, SharedArrayBuffer), which TF.js's wasm backend needs for its threaded build. Without them it
// computes on one thread. Our server (scripts/serve.mjs) sends them with every response; a host that cannot send
// headers gets them from the offline service worker instead (scripts/build-sw.mjs), from the visit after the first.
// Every resource of the site is same-origin, so require-corp blocks nothing.

/** The headers, as a host must send them with every page and every script (workers included). */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/**
 * `response` with the isolation headers added, for a service worker to answer with. Responses a script may not
 * rebuild (opaque ones, status 0) and those that already carry both headers come back as they are.
 */
export function withIsolationHeaders(response) {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const names = Object.keys(ISOLATION_HEADERS);
  if (names.every((n) => response.headers.has(n))) return response;
  const headers = new Headers(response.headers);
  for (const n of names) headers.set(n, ISOLATION_HEADERS[n]);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The service-worker script (classic, for importScripts before Workbox's own code) that adds the headers to every
 * response the worker answers a fetch with: FetchEvent.respondWith is wrapped, so whatever Workbox answers (a
 * precached page, its worker script, a wasm binary) reaches the page with COOP and COEP.
 */
export function isolationShim() {
  return `// Made by scripts/build-sw.mjs from src/site/isolation-headers.mjs: cross-origin isolation from the service worker.
const ISOLATION_HEADERS = ${JSON.stringify(ISOLATION_HEADERS)};
${withIsolationHeaders.toString()}
const respondWithoutIsolation = FetchEvent.prototype.respondWith;
FetchEvent.prototype.respondWith = function (response) {
  return respondWithoutIsolation.call(this, Promise.resolve(response).then(withIsolationHeaders));
};
`;
}
