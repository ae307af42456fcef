// Every page of the site, opened once on a wide screen and once on a 360 px phone, with each island hydrated, and
// checked for what every page owes its reader (the checks live in ./checks/, one idea a file):
// - wide: it loads cleanly (no console error, exception, failed request or HTTP error; one h1; the site's title),
//   under a strict Content Security Policy it never violates, with chart text of 12 px or more, and with no serious
//   accessibility violation in light mode, nor in dark once the theme button is pressed (colour contrast, the one
//   rule a theme changes);
// - phone: no demo is cut off at its frame's edge, the page is no wider than the screen, chart text still 12 px.
// One load serves all of a width's checks: loading each page once per check took a quarter of the e2e run.
import { expect, test } from '@playwright/test';
import { hydrateAll, sitePages } from './pages';
import { watchLoadProblems } from './checks/clean-load';
import { expectStrictPolicy, recordViolations, violations } from './checks/csp';
import { MIN_CHART_PX, smallChartText } from './checks/chart-text';
import { seriousViolations } from './checks/axe';
import { clippedDemos, pageWidth } from './checks/phone-fit';

/** Pages with demos and charts (the chapters and the Performance page). */
const hasDemos = (path: string) => path.startsWith('/chapters/') || path === '/performance/';

test.describe('on a 1280 px screen', () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  for (const path of sitePages()) {
    test(`${path}: loads cleanly under its policy, charts readable, accessible in light and dark`, async ({ page }) => {
      test.setTimeout(150_000); // the work of the four tests it replaced, which had 60 s each
      const problems = watchLoadProblems(page, path);
      await recordViolations(page);
      await page.addInitScript(() => localStorage.setItem('theme', 'light'));
      const response = await page.goto(path, { waitUntil: 'networkidle' });
      await test.step('one h1, the site title and a strict policy', async () => {
        await expect(page.locator('h1')).toHaveCount(1);
        await expect(page).toHaveTitle(/Pet breeds, live/);
        await expectStrictPolicy(page, response);
      });
      await hydrateAll(page);
      await page.waitForLoadState('networkidle');
      await test.step('every island hydrated with no error and no policy violation', async () => {
        expect(problems).toEqual([]);
        expect(await violations(page)).toEqual([]);
      });
      if (hasDemos(path))
        await test.step(`chart text at least ${MIN_CHART_PX} px`, async () =>
          expect(await smallChartText(page)).toEqual([]));
      await test.step('no serious accessibility violation in light, details open', async () => {
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        expect(await seriousViolations(page)).toEqual([]);
      });
      await test.step('no colour-contrast violation in dark', async () => {
        await page.locator('[data-theme-toggle]').first().click();
        await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
        expect(await seriousViolations(page, ['color-contrast'])).toEqual([]);
      });
      expect(problems).toEqual([]);
    });
  }
});

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });
  for (const path of sitePages()) {
    test(`${path}: ${hasDemos(path) ? 'every demo fits, chart text readable, ' : ''}no wider than the screen`, async ({
      page,
    }) => {
      test.setTimeout(120_000); // the three tests it replaced had 60 s each
      await page.goto(path, { waitUntil: 'networkidle' });
      await hydrateAll(page);
      await page.waitForLoadState('networkidle');
      if (hasDemos(path)) {
        await test.step('no demo cut off at its frame', async () => expect(await clippedDemos(page)).toEqual([]));
        await test.step(`chart text at least ${MIN_CHART_PX} px`, async () =>
          expect(await smallChartText(page)).toEqual([]));
      }
      const wide = await pageWidth(page);
      expect(wide.scrollWidth, wide.culprits.join('; ')).toBeLessThanOrEqual(360);
    });
  }
});
