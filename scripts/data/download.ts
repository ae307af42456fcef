// untar_data-style downloads: kept in the cache, resumed from a partial file, verified by MD5, with a progress line.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { progressReporter } from './progress';

export class DownloadError extends Error {}

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface DownloadOptions {
  md5?: string;
  /** Shown when the download fails: what to pass instead. */
  hint?: string;
  fetchImpl?: typeof fetch;
  quiet?: boolean;
}

/**
 * Downloads `url` to `dest` unless a verified copy is already there. Bytes go to `dest + ".part"` first; a later run
 * resumes from it with an HTTP Range request, and only a complete, verified file is renamed to `dest`.
 */
export async function download(url: string, dest: string, opts: DownloadOptions = {}): Promise<string> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const fail = (why: string): never => {
    throw new DownloadError(`Could not download ${url}: ${why}.${opts.hint ? ` ${opts.hint}` : ''}`);
  };
  if (existsSync(dest) && (!opts.md5 || (await md5Of(dest)) === opts.md5)) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {} });
  } catch (error) {
    return fail((error as Error).cause ? String((error as Error).cause) : (error as Error).message);
  }
  if (!response.ok && response.status !== 206) fail(`HTTP ${response.status}`);
  const resumed = response.status === 206;
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined;
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  const progress = opts.quiet ? null : progressReporter(`downloading ${url.split('/').pop()}`, 'bytes');
  let done = resumed ? have : 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((ok) => out.once('drain', () => ok()));
      done += chunk.length;
      progress?.update(done, total);
    }
  } catch (error) {
    out.end();
    return fail(`the connection broke after ${done} bytes (${(error as Error).message}); run again to resume`);
  }
  await new Promise<void>((ok, ko) => out.end((e?: Error | null) => (e ? ko(e) : ok())));
  progress?.update(done, total, true);
  progress?.done();
  if (total !== undefined && done !== total) fail(`got ${done} of ${total} bytes; run again to resume`);
  if (opts.md5) {
    const sum = await md5Of(part);
    if (sum !== opts.md5) {
      renameSync(part, `${dest}.corrupt`);
      fail(`checksum mismatch (MD5 ${sum}, expected ${opts.md5}); the file was moved aside to ${dest}.corrupt`);
    }
  }
  renameSync(part, dest);
  return dest;
}
