// The service worker's cross-origin isolation: what it adds to a response, and what it leaves alone.
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, isolationShim, withIsolationHeaders } from './isolation-headers.mjs';

describe('withIsolationHeaders', () => {
  it('adds COOP and COEP and keeps the status, its text, the other headers and the body', async () => {
    const r = withIsolationHeaders(
      new Response('<h1>page</h1>', { status: 404, statusText: 'Not Found', headers: { 'content-type': 'text/html' } }),
    );
    expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(r.headers.get('content-type')).toBe('text/html');
    expect([r.status, r.statusText]).toEqual([404, 'Not Found']);
    expect(await r.text()).toBe('<h1>page</h1>');
  });
  it('returns a response that already has both headers as it is', () => {
    const r = new Response('x', { headers: ISOLATION_HEADERS });
    expect(withIsolationHeaders(r)).toBe(r);
  });
  it('leaves opaque responses alone (a script may not rebuild them)', () => {
    const opaque = { status: 0, type: 'opaque', headers: new Headers() } as unknown as Response;
    expect(withIsolationHeaders(opaque)).toBe(opaque);
  });
});

describe('the service-worker shim', () => {
  it('wraps respondWith so every answer goes through withIsolationHeaders', async () => {
    const answered: Response[] = [];
    class FetchEvent {
      respondWith(r: Promise<Response>) {
        void r.then((x) => answered.push(x));
      }
    }
    new Function('FetchEvent', 'Headers', 'Response', isolationShim())(FetchEvent, Headers, Response);
    new FetchEvent().respondWith(Promise.resolve(new Response('ok')));
    await new Promise((go) => setTimeout(go, 0));
    expect(answered[0]?.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });
});
