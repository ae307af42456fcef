// Playwright's test for demo runs: any console error or uncaught exception at any moment of the test (page load,
// the whole run, Stop, Reset) fails it. A test that provokes an error on purpose lists it in `allowedConsole`.
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ allowedConsole: RegExp[]; consoleErrors: string[] }>({
  allowedConsole: async ({}, use) => {
    await use([]);
  },
  consoleErrors: [
    async ({ page, allowedConsole }, use) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !allowedConsole.some((re) => re.test(m.text())))
          errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) =>
        errors.push(
          `exception: ${e.message}${e.stack ? ` (${e.stack.split('\n').slice(1, 12).join(' ').replace(/\s+/g, ' ')})` : ''}`,
        ),
      );
      await use(errors);
      expect(errors, 'console errors or exceptions during the demo run').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
