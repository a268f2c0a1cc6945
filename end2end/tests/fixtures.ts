// Every spec imports `test` from here: axe-core checks each page a test loads (after every
// `load` event) and the state the test ends in (forms with their errors, dialogs, 403 and 404
// pages), and the test fails on any critical or serious violation of WCAG 2.1 A/AA, or on an
// error thrown in the page. axe runs as
// a script in the page; with JavaScript off it runs on a copy of the page (its HTML with the
// scripts left out, styled by the same stylesheet) in a page of its own.
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/// The critical and serious violations on the page as it is now, one line each.
async function violations(page: Page): Promise<string[]> {
  const url = page.url();
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${url}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/// The violations of what `page` shows, read from a copy when the page runs no scripts.
async function violationsOf(page: Page, browser: Browser, scripts: boolean): Promise<string[]> {
  if (scripts) return violations(page);
  const origin = new URL(page.url()).origin;
  const html = (await page.content())
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<head>/i, `<head><base href="${origin}/">`);
  const copy = await browser.newContext({ javaScriptEnabled: true });
  try {
    const twin = await copy.newPage();
    await twin.setContent(html, { waitUntil: 'load' });
    return (await violations(twin)).map((line) => line.replace(/^about:blank/, page.url()));
  } finally {
    await copy.close();
  }
}

export const test = base.extend<{ accessible: void }>({
  accessible: [
    async ({ page, browser, javaScriptEnabled }, use) => {
      const found = new Set<string>();
      // A panic in the browser (a hydration mismatch, say) leaves the page looking right while
      // nothing on it reacts; it fails the test too.
      page.on('pageerror', (error) => found.add(`${page.url()}: the page failed: ${error.message}`));
      const checks: Promise<void>[] = [];
      const check = () =>
        violationsOf(page, browser, javaScriptEnabled).then((lines) => lines.forEach((l) => found.add(l)));
      // A page that is left while axe reads it is checked again where the test ends up.
      page.on('load', () => checks.push(check().catch(() => undefined)));
      await use();
      await Promise.all(checks);
      if (!page.isClosed() && page.url().startsWith('http')) await check();
      expect([...found], 'axe-core violations (critical or serious) and page errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
