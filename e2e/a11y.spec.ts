// Accessibility: axe finds no serious or critical violation on any page, in light or dark mode.
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sitePages } from './pages';

for (const theme of ['light', 'dark'] as const) {
  for (const path of sitePages()) {
    test(`${path} (${theme}) has no serious accessibility violations`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('theme', t), theme);
      await page.goto(path, { waitUntil: 'networkidle' });
      // Open the details so their content is scanned too, and let islands hydrate.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle');
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
      expect(serious).toEqual([]);
    });
  }
}
