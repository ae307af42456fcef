// The Content Security Policy as a page carries it (a <meta http-equiv> from Astro, the same policy as a header from
// scripts/serve.mjs), and the violations the browser reports while the page runs.
import { expect, type Page, type Response } from '@playwright/test';

declare global {
  interface Window {
    __cspViolations: string[];
  }
}

/** Records every CSP violation the page reports, from before its first script runs. Call before page.goto. */
export async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
}

export const violations = (page: Page): Promise<string[]> => page.evaluate(() => window.__cspViolations);

/** The page's policy is strict (no inline or eval'd script, nothing from elsewhere) and its header says the same. */
export async function expectStrictPolicy(page: Page, response: Response | null): Promise<void> {
  const header = response?.headers()['content-security-policy'] ?? '';
  const meta = (await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content')) ?? '';
  expect(meta).toContain("script-src 'self'");
  expect(meta).toContain("connect-src 'self'");
  expect(meta).toContain("object-src 'none'");
  expect(meta).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(meta).not.toMatch(/script-src[^;]*'unsafe-eval'/);
  expect(header.replace(/\s+/g, ' ')).toBe(meta.trim().replace(/\s+/g, ' '));
}
