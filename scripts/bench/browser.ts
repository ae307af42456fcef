// Runs a page of the built site in headless Chromium for a benchmark, served by our static server.
// Playwright is imported when a browser is opened, so the Node-only benchmark bundle runs where it is not installed
// (a GPU machine with just Node and Dawn).
import type { Browser, Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { serve } from '../serve.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu',
];

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
  const browser: Browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
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
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; device: string; description: string } } | null> } }).gpu;
    if (!gpu) return 'no WebGPU';
    const adapter = await gpu.requestAdapter();
    const i = adapter?.info;
    return i ? [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') : 'no adapter';
  });
}
