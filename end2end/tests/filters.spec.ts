// Django-style sidebar filters with counts, and the year → month → day drill-down: every choice
// is a link, its count is the total the list then shows, and all of it lives in the URL.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectEvery, logIn } from './helpers';

/** The number a sidebar choice shows ("kiosk 2,512" → "2,512"). */
async function countOf(page: Page, facet: string, choice: string): Promise<string> {
  const region = page.getByRole('region', { name: `Filter by ${facet}` });
  const link = region.getByRole('link', { name: new RegExp(`^${choice} `) });
  return (await link.locator('.count').textContent()) ?? '';
}

test('a type and a status narrow the devices to the counts the sidebar showed', async ({ page }) => {
  await logIn(page, 'viewer', '/devices');
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('of 10,012');
  const types = page.getByRole('region', { name: 'Filter by type' });
  await expect(types.getByRole('link', { name: /^All 10,012$/ })).toHaveAttribute('aria-current', 'true');

  const kiosks = await countOf(page, 'type', 'kiosk');
  await types.getByRole('link', { name: /^kiosk / }).click();
  await expect(page).toHaveURL(/type=kiosk/);
  await expect(pager).toContainText(`of ${kiosks}`);
  await expect(types.getByRole('link', { name: /^kiosk / })).toHaveAttribute('aria-current', 'true');
  await expectEvery(page.locator('tbody tr td:nth-child(3)'), 'kiosk');

  // The first status that some kiosk has (the generated fleet's mix is not fixed here).
  const statuses = page.getByRole('region', { name: 'Filter by status' }).getByRole('link');
  const texts = (await statuses.allTextContents()).slice(1);
  const picked = texts.find((t) => !t.endsWith(' 0')) ?? '';
  const [status, count] = picked.split(' ');
  await statuses.filter({ hasText: new RegExp(`^${status} `) }).click();
  await expect(page).toHaveURL(new RegExp(`status=${status}`));
  await expect(page).toHaveURL(/type=kiosk/);
  await expect(pager).toContainText(`of ${count}`);

  await types.getByRole('link', { name: /^All / }).click();
  await expect(page).not.toHaveURL(/type=/);
  await expect(page).toHaveURL(new RegExp(`status=${status}`));
});

test('the audit log drills down from a year to a day and counts events by type', async ({ page }) => {
  await logIn(page, 'admin', '/admin/audit');
  const dates = page.getByRole('navigation', { name: 'Dates' });
  const trail = dates.locator('.drill-trail');
  await expect(trail.getByRole('link', { name: 'All dates' })).toHaveAttribute('aria-current', 'page');
  const year = dates.locator('.drill-choices a').last();
  const yearText = (await year.textContent()) ?? '';
  await year.click();
  await expect(page).toHaveURL(new RegExp(`from=${yearText}-01-01&to=${yearText}-12-31`));
  await expect(trail.getByRole('link', { name: yearText })).toHaveAttribute('aria-current', 'page');
  await dates.locator('.drill-choices a').last().click();
  await expect(page).toHaveURL(new RegExp(`from=${yearText}-\\d\\d-01`));
  await dates.locator('.drill-choices a').last().click();
  const url = new URL(page.url());
  expect(url.searchParams.get('from')).toMatch(/^\d{4}-\d\d-\d\d$/);
  expect(url.searchParams.get('to')).toBe(url.searchParams.get('from'));
  await expect(trail.locator('a[aria-current="page"]')).toHaveText(/^\d{1,2} [A-Z][a-z]+$/);
  await expect(page.locator('tbody tr').first()).toBeVisible();

  const events = page.getByRole('region', { name: 'Filter by event type' });
  const first = events.getByRole('link').nth(1);
  const [event, count] = ((await first.textContent()) ?? '').split(' ');
  await first.click();
  await expect(page).toHaveURL(new RegExp(`event=${event.replace('.', '\\.')}`));
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(`of ${count}`);
  await expect(page.locator('tbody tr td:nth-child(3)').first()).toHaveText(event);

  await trail.getByRole('link', { name: 'All dates' }).click();
  await expect(page).not.toHaveURL(/from=/);
  await expect(page).toHaveURL(/event=/);
});

test('users are counted by role and state', async ({ page }) => {
  await logIn(page, 'admin', '/admin/users');
  const roles = page.getByRole('region', { name: 'Filter by role' });
  await expect(roles.getByRole('link', { name: /^staff \d+$/ })).toBeVisible();
  await roles.getByRole('link', { name: /^staff / }).click();
  await expect(page).toHaveURL(/role=staff/);
  await expectEvery(page.locator('tbody tr .badge-role'), 'staff');
  await expect(page.getByRole('region', { name: 'Filter by active' }).getByRole('link', { name: /^yes / })).toBeVisible();
});

test('a device narrows its health checks to one day', async ({ page }) => {
  await logIn(page, 'viewer', '/devices/pos-terminal-010010');
  await expect(page.locator('tbody tr')).toHaveCount(3);
  const dates = page.getByRole('navigation', { name: 'Dates' });
  for (let level = 0; level < 3; level++) {
    await dates.locator('.drill-choices a').last().click();
    await expect(page.locator('.drill-trail li')).toHaveCount(level + 2);
  }
  const url = new URL(page.url());
  expect(url.searchParams.get('to')).toBe(url.searchParams.get('from'));
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await page.getByRole('link', { name: 'All dates' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(3);
});
