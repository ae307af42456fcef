// The preview server serves only files under its root: a request that climbs out of it (encoded slashes, dot
// segments) gets the 404 page, never a sibling folder's file. And every response carries the Content Security Policy
// and cross-origin isolation.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from './serve.mjs';

/** GET with the path sent exactly as written (fetch() would normalise dot segments before sending). */
function get(port, path) {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serve.mjs', () => {
  let dir;
  let server;
  let port;
  const CSP = "default-src 'self'; script-src 'self' 'sha256-abc'";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
    // The site, and beside it a folder whose name starts with the site's: "dist" and "dist-private".
    mkdirSync(join(dir, 'dist', 'chapters', 'a'), { recursive: true });
    writeFileSync(
      join(dir, 'dist', 'index.html'),
      `<!doctype html><meta http-equiv="content-security-policy" content="${CSP}"><h1>home</h1>`,
    );
    writeFileSync(join(dir, 'dist', '404.html'), '<!doctype html><h1>not found page</h1>');
    writeFileSync(join(dir, 'dist', 'chapters', 'a', 'index.html'), '<!doctype html><h1>a</h1>');
    writeFileSync(join(dir, 'dist', 'app.js'), 'console.log(1)');
    mkdirSync(join(dir, 'dist-private'));
    writeFileSync(join(dir, 'dist-private', 'secret.txt'), 'TOP SECRET');
    writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
    server = await serve({ root: join(dir, 'dist'), port: 0 });
    port = server.address().port;
  });
  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves files and index pages under its root', async () => {
    expect((await get(port, '/app.js')).body).toBe('console.log(1)');
    expect((await get(port, '/chapters/a/')).body).toContain('<h1>a</h1>');
    expect((await get(port, '/chapters/a')).status).toBe(301);
  });

  for (const path of [
    '/..%2fdist-private/secret.txt',
    '/..%2Fdist-private%2Fsecret.txt',
    '/../dist-private/secret.txt',
    '/%2e%2e/dist-private/secret.txt',
    '/..%2fsecret.txt',
    '/chapters/..%2f..%2f..%2fdist-private/secret.txt',
    '/..%5cdist-private%5csecret.txt',
  ]) {
    it(`refuses ${path}`, async () => {
      const res = await get(port, path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('TOP SECRET');
    });
  }

  it("sends a page's own policy as a header, and the site's base policy with other files", async () => {
    expect((await get(port, '/')).headers['content-security-policy']).toBe(CSP);
    const js = (await get(port, '/app.js')).headers['content-security-policy'];
    expect(js).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
    expect(js).toContain("worker-src 'self' blob:");
    expect(js).toContain("connect-src 'self'");
    // A worker-src of its own, not the pages' as well.
    expect(js.match(/worker-src/g)).toHaveLength(1);
  });

  it('sends cross-origin isolation (COOP/COEP) with pages, scripts and the 404 page', async () => {
    for (const path of ['/', '/app.js', '/missing/']) {
      const { headers } = await get(port, path);
      expect(headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
  });

  it('leaves isolation out when asked, as a host without headers would', async () => {
    const bare = await serve({ root: join(dir, 'dist'), port: 0, isolation: false });
    try {
      const { headers } = await get(bare.address().port, '/');
      expect(headers['cross-origin-opener-policy']).toBeUndefined();
      expect(headers['cross-origin-embedder-policy']).toBeUndefined();
    } finally {
      bare.close();
    }
  });
});
