// End-to-end tests against the built site (dist/), served locally, in the Chromium that scripts/find-chromium.mjs
// found (npm run test:e2e passes it as CHROMIUM_PATH; Debian's /usr/bin/chromium when run without it).
import { availableParallelism } from 'node:os';
import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from './e2e/chromium-launch';

const PORT = Number(process.env.E2E_PORT ?? 4399);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  // One browser a core, up to four: the training specs run on SwiftShader or wasm and want a core each; on CI's two
  // cores Playwright's default (half) would run the suite one test at a time.
  workers: Math.min(4, availableParallelism()),
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  // Tests tagged @alone measure the page's main thread (long tasks), which another browser training beside them on the
  // same cores would disturb: they run after the rest, by themselves.
  projects: [
    { name: 'site', grepInvert: /@alone/ },
    { name: 'alone', grep: /@alone/, dependencies: ['site'] },
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'off',
    // The site's service worker (dist/sw.js) would answer requests before page.route could see them; only the
    // offline spec lets it run.
    serviceWorkers: 'block',
    launchOptions: chromiumLaunch(['--enable-unsafe-webgpu']),
  },
  webServer: {
    command: `node scripts/serve.mjs`,
    env: { PORT: String(PORT) },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
