// The Performance page's recorded figures: by run, newest first, every command readable in full on a phone.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

const results = JSON.parse(readFileSync('benchmarks/results.json', 'utf8')) as {
  runs: { date: string; machine: string; command: string }[];
};

test.use({ viewport: { width: 360, height: 780 } });

test('lists the recorded runs newest first, every figure once, each command whole', async ({ page }) => {
  await page.goto('/performance/');
  const runs = page.locator('section.run');
  await expect(page.locator('section.run tbody tr')).toHaveCount(results.runs.length);
  const dates = await runs.locator('.when').allTextContents();
  expect(dates.length).toBeGreaterThan(1);
  const times = dates.map((d) => Date.parse(d.slice(0, 16).replace(' ', 'T') + 'Z'));
  expect(times.every((t) => !Number.isNaN(t))).toBe(true);
  expect(times).toEqual([...times].sort((a, b) => b - a));
  // Each run names its machine once, in its heading, and each command stands once above its figures.
  const newest = results.runs.reduce((a, b) => (Date.parse(b.date) > Date.parse(a.date) ? b : a));
  await expect(runs.first().locator('h3')).toContainText(newest.machine);
  const commands = new Set(
    results.runs.filter((r) => r.date === newest.date && r.machine === newest.machine).map((r) => r.command),
  );
  await expect(runs.first().locator('pre.command')).toHaveCount(commands.size);
  // A command wraps on a narrow screen instead of hiding its end.
  for (const pre of await page.locator('pre.command').all()) {
    const [scroll, client] = await pre.evaluate((e) => [e.scrollWidth, e.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
  }
});
