// Downloads (complete, resumed, corrupt, unreachable) against a local server, and archive extraction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { download, DownloadError } from './download';
import { extractTarGz } from './extract';
import { resolveSource } from './sources';
import { progressLine } from './progress';

let dir: string;
let server: Server;
let base: string;
const body = randomBytes(300_000);
const md5 = createHash('md5').update(body).digest('hex');
const ranges: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'download-test-'));
  server = createServer((req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404).end();
      return;
    }
    const range = req.headers.range;
    if (range) {
      ranges.push(range);
      const start = Number(/bytes=(\d+)-/.exec(range)![1]);
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(start));
    } else {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('download', () => {
  it('downloads and verifies a file, and does not fetch it again', async () => {
    const dest = join(dir, 'a.bin');
    await download(`${base}/a.bin`, dest, { md5, quiet: true });
    expect(readFileSync(dest).equals(body)).toBe(true);
    let calls = 0;
    await download(`${base}/a.bin`, dest, {
      md5,
      quiet: true,
      fetchImpl: (async () => {
        calls++;
        throw new Error('no');
      }) as typeof fetch,
    });
    expect(calls).toBe(0);
  });
  it('resumes a partial download with a Range request', async () => {
    const dest = join(dir, 'b.bin');
    writeFileSync(`${dest}.part`, body.subarray(0, 120_000));
    await download(`${base}/b.bin`, dest, { md5, quiet: true });
    expect(ranges).toContain('bytes=120000-');
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });
  it('rejects a checksum mismatch and keeps no file under the final name', async () => {
    const dest = join(dir, 'c.bin');
    await expect(download(`${base}/c.bin`, dest, { md5: '0'.repeat(32), quiet: true })).rejects.toThrow(
      /checksum mismatch/,
    );
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.corrupt`)).toBe(true);
  });
  it('names the URL and what to pass instead when the network fails', async () => {
    const hint = 'Without internet, pass --source.';
    const err = await download('http://127.0.0.1:1/pets.tar.gz', join(dir, 'd.bin'), { hint, quiet: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(
      /^Could not download http:\/\/127\.0\.0\.1:1\/pets\.tar\.gz: .+\. Without internet, pass --source\.$/,
    );
    await expect(download(`${base}/missing`, join(dir, 'e.bin'), { quiet: true })).rejects.toThrow(/HTTP 404/);
  });
  it('formats progress with bytes, rate and time left', () => {
    expect(progressLine(512 * 1024, 1024 * 1024, 2, 'bytes', 10)).toBe(
      '[#####.....]  50% 512.0 KB / 1.0 MB  256.0 KB/s  2s left',
    );
  });
});

describe('archives', () => {
  it('extracts a .tar.gz source and finds the dataset folder inside it', async () => {
    const src = join(dir, 'tree');
    mkdirSync(join(src, 'oxford-iiit-pet', 'images'), { recursive: true });
    writeFileSync(join(src, 'oxford-iiit-pet', 'images', 'pug_1.jpg'), 'x');
    const archive = join(dir, 'pets.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: src }, ['oxford-iiit-pet']);
    process.env['PETS_CACHE_DIR'] = join(dir, 'cache');
    const { root } = await resolveSource('pets', archive);
    expect(root).toBe(join(dir, 'cache', 'extracted', 'pets', 'oxford-iiit-pet'));
    expect(readFileSync(join(root, 'images', 'pug_1.jpg'), 'utf8')).toBe('x');
  });
  it('fails on a corrupt archive and leaves nothing behind', async () => {
    const bad = join(dir, 'bad.tar.gz');
    writeFileSync(bad, randomBytes(1000));
    await expect(extractTarGz(bad, join(dir, 'bad-out'))).rejects.toThrow(/Could not extract/);
    expect(existsSync(join(dir, 'bad-out'))).toBe(false);
  });
  it('says so when the source does not exist', async () => {
    await expect(resolveSource('pets', join(dir, 'nope'))).rejects.toThrow(/no such file or folder/);
  });
});
