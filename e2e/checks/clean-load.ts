// What makes a page load unclean: a console error, an uncaught exception, a failed request or an HTTP error. Start
// listening before the page is opened; the returned list fills as the page runs.
import type { Page } from '@playwright/test';

export function watchLoadProblems(page: Page, path: string): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    // The 404 page is served with status 404 on purpose; anything else must be found.
    if (r.status() >= 400 && !(path === '/404.html' && r.url().endsWith('/404.html')))
      problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}
