// npm run bench's jax-js peer (--jax, with --browser): the one other library that trains in the browser, timed on the
// same model (scripts/bench/jax-resnet-s.ts), shape and browser as our page, on its wasm device (or its webgpu one
// beside our WebGPU backend), after the page's run. jax-js's wasm device computes on navigator.hardwareConcurrency
// threads where the page is cross-origin isolated (our server sends the headers), so the bench sets that to ours.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { median } from '../../src/lib/bench/stats';
import { openBuiltSite } from './browser';
import type { JaxBenchAnswer, JaxBenchRequest } from './jax-page';

/** What the bench prints and keeps of jax-js's run (TrainingJson's browserPeer). */
export interface JaxPeer {
  /** e.g. "jax-js 0.1.25, wasm, 2 threads". */
  name: string;
  device: string;
  /** The worker threads of its wasm device (1 where the page is not isolated); null on webgpu. */
  threads: number | null;
  msPerStep: number;
  /** Timed steps, after one that compiles. */
  steps: number;
}

function jaxVersion(): string {
  // Its exports map leaves package.json out, so it is read where npm installs it (npm scripts run at the root).
  try {
    return (JSON.parse(readFileSync(resolve('node_modules/@jax-js/jax/package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '?';
  }
}

/** The browser bundle of jax-page.ts, jax-js inside it (its devices' modules inlined: no other file to serve). */
async function pageBundle(): Promise<string> {
  const out = await build({
    entryPoints: ['scripts/bench/jax-page.ts'],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/**
 * Times `steps` jax-js training steps (after one that compiles) in headless Chromium, on a page of its own served
 * beside the built site, or says why it cannot. A step takes about 27 s at batch 16, 64 px and 133 s at batch 32,
 * 96 px on wasm on two threads here, so keep `steps` small.
 */
export async function timeJaxPeer(o: {
  device: 'wasm' | 'webgpu';
  batch: number;
  size: number;
  steps: number;
  threads: number | null;
}): Promise<JaxPeer | { missing: string }> {
  const bundle = await pageBundle();
  const site = await openBuiltSite();
  const said: string[] = [];
  try {
    const { page, base } = site;
    // What the page says goes with a failure (a worker refused, a shader that does not compile).
    page.on('console', (m) => void (m.type() === 'error' && said.push(m.text())));
    page.on('pageerror', (e) => said.push(e.message));
    // A page of its own on the site's origin, cross-origin isolated as the site's pages are (so jax-js's wasm device
    // gets its worker threads) but without the site's Content-Security-Policy, which allows no blob: workers.
    const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    await page.route(`${base}/__bench/jax.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: isolation,
        body: '<!doctype html><title>jax-js peer</title><script type="module" src="jax-page.js"></script>',
      }),
    );
    await page.route(`${base}/__bench/jax-page.js`, (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        headers: { ...isolation, 'Cross-Origin-Resource-Policy': 'same-origin' },
        body: bundle,
      }),
    );
    await page.goto(`${base}/__bench/jax.html`);
    // jax-js's wasm device starts navigator.hardwareConcurrency workers where the page is isolated, else computes alone.
    const wasmThreads = await page.evaluate(() => (self.crossOriginIsolated ? navigator.hardwareConcurrency : 1));
    await page.waitForFunction(() => 'jaxBench' in window);
    const request: JaxBenchRequest = { device: o.device, batch: o.batch, size: o.size, warmup: 1, steps: o.steps };
    const answer = await page.evaluate(
      (r) => (window as unknown as { jaxBench(r: JaxBenchRequest): Promise<JaxBenchAnswer> }).jaxBench(r),
      request,
    );
    if ('missing' in answer) return answer;
    if (answer.losses.some((l) => !Number.isFinite(l)))
      return { missing: `jax-js's loss is not finite: ${answer.losses}` };
    const threads = o.device === 'wasm' ? wasmThreads : null;
    return {
      name: `jax-js ${jaxVersion()}, ${o.device}${threads === null ? '' : `, ${threads} thread${threads === 1 ? '' : 's'}`}`,
      device: o.device,
      threads,
      msPerStep: median(answer.times),
      steps: answer.times.length,
    };
  } catch (error) {
    const first = said[0] ? ` (the page said: ${said[0]})` : '';
    return { missing: `jax-js failed: ${(error as Error).message.split('\n')[0]}${first}` };
  } finally {
    await site.close();
  }
}
