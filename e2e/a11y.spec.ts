// Accessibility: axe finds no serious or critical violation on any page, in light mode and then in dark. One page
// load serves both: the page is scanned whole in light, then switched to dark as the theme button does and scanned
// again for colour contrast, the one rule a theme changes.
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sitePages } from './pages';

async function serious(page: Page, rules?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const results = await (rules ? builder.withRules(rules) : builder).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

for (const path of sitePages()) {
  test(`${path} has no serious accessibility violations, in light or dark`, async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('theme', 'light'));
    await page.goto(path, { waitUntil: 'networkidle' });
    // Open the details so their content is scanned too, and let islands hydrate.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
    expect(await serious(page), 'light').toEqual([]);
    await page.locator('[data-theme-toggle]').first().click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await serious(page, ['color-contrast']), 'dark').toEqual([]);
  });
}
