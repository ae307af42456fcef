// Runs a page of the built site in headless Chromium for a benchmark, served by our static server.
// Playwright is imported when a browser is opened, so the Node-only benchmark bundle runs where it is not installed
// (a GPU machine with just Node and Dawn).
import type { Browser, Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { serve } from '../serve.mjs';
import { chromiumLaunch } from '../../e2e/chromium-launch';

/** The e2e browser's switches, WebGPU on (SwiftShader where there is no GPU). */
export const CHROMIUM_ARGS = chromiumLaunch(['--enable-unsafe-webgpu']).args;

export interface BenchBrowser {
  page: Page;
  base: string;
  close(): Promise<void>;
}

export async function openBuiltSite(): Promise<BenchBrowser> {
  if (!existsSync('dist/index.html')) throw new Error('No built site in dist/: run npm run build first.');
  const server: Server = await serve({ port: 0 });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { chromium } = await import('@playwright/test');
  const browser: Browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage();
  return {
    page,
    base,
    close: async () => {
      await browser.close();
      // Idle keep-alive connections would otherwise hold the process open for minutes.
      server.closeAllConnections();
      server.close();
    },
  };
}

/** What the browser's WebGPU adapter is (SwiftShader on a machine without a GPU). */
export async function adapterName(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const gpu = (
      navigator as Navigator & {
        gpu?: {
          requestAdapter(): Promise<{
            info?: { vendor: string; architecture: string; device: string; description: string };
          } | null>;
        };
      }
    ).gpu;
    if (!gpu) return 'no WebGPU';
    const adapter = await gpu.requestAdapter();
    const i = adapter?.info;
    return i ? [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') : 'no adapter';
  });
}

/**
 * Opens the built site's Performance page with `query`, presses Run on the benchmark island `id` and returns what it
 * measured (the JSON in its `${id}-result` table's data-result) and the browser's WebGPU adapter. `betweenSteps`
 * becomes the page's window.benchBetweenSteps, which a paused benchmark awaits before it goes on.
 */
export async function runBenchIsland<T>(
  id: string,
  query: URLSearchParams,
  timeoutMs: number,
  betweenSteps?: () => Promise<void>,
): Promise<{ result: T; adapter: string }> {
  const site = await openBuiltSite();
  try {
    const { page, base } = site;
    if (betweenSteps) await page.exposeFunction('benchBetweenSteps', betweenSteps);
    await page.goto(`${base}/performance/${query.size ? `?${query}` : ''}`);
    const adapter = await adapterName(page);
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.locator(`astro-island:not([ssr]) #${id}`).waitFor();
    await page.locator(`#${id}`).getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(
      (island) => {
        const t = document.querySelector(`[data-testid="${island}-result"]`);
        const status = document.querySelector(`#${island} [role="status"]`)?.textContent ?? '';
        return (t?.getAttribute('data-result') ?? '') !== '' || status.startsWith('The measurement failed');
      },
      id,
      { timeout: timeoutMs },
    );
    const raw = await page.getByTestId(`${id}-result`).getAttribute('data-result');
    if (!raw) throw new Error(await page.locator(`#${id} [role="status"]`).innerText());
    return { result: JSON.parse(raw) as T, adapter };
  } finally {
    await site.close();
  }
}
