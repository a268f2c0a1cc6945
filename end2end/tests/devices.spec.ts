// The devices table: filters, search, sorting, paging and the back button, all in the URL.
import { expect, test } from './fixtures';
import { expectEvery, logIn } from './helpers';

test('searches by IP prefix, filters by status, pages and goes back', async ({ page }) => {
  await logIn(page, 'viewer', '/devices');
  const pager = page.getByRole('navigation', { name: 'Pages' });
  // 10,000 generated devices plus the 12 of the demo; 10.0.1.x holds ids 256..511 and 4 demo tills.
  await expect(pager).toContainText('1–25 of 10,012');

  await page.getByRole('searchbox', { name: 'Search' }).fill('10.0.1.');
  await page.getByRole('button', { name: 'Apply', exact: true }).first().click();
  await expect(page).toHaveURL(/q=10\.0\.1\./);
  await expect(pager).toContainText('1–25 of 260');
  await expect(page.getByRole('cell', { name: '10.0.1.0', exact: true })).toBeVisible();

  await pager.getByRole('link', { name: 'Next ›' }).click();
  await expect(pager).toContainText('26–50 of 260');
  await page.goBack();
  await expect(pager).toContainText('1–25 of 260');

  await page.getByLabel('Status', { exact: true }).selectOption('online');
  await page.getByRole('button', { name: 'Apply', exact: true }).first().click();
  await expect(page).toHaveURL(/status=online/);
  await expect(page).toHaveURL(/q=10\.0\.1\./);
  const statuses = page.locator('tbody tr td:nth-child(5)');
  await expectEvery(statuses, 'online');
});

test('sorts by last seen and keeps the filter', async ({ page }) => {
  await logIn(page, 'viewer', '/devices?type=kiosk');
  await page.getByRole('link', { name: 'Last seen' }).click();
  await expect(page).toHaveURL(/sort=last_seen/);
  await expect(page).toHaveURL(/type=kiosk/);
  await expect(page.getByRole('columnheader', { name: /Last seen/ })).toHaveAttribute('aria-sort', 'ascending');
  await expectEvery(page.locator('tbody tr td:nth-child(3)'), 'kiosk');
  await page.getByRole('link', { name: /Last seen/ }).click();
  await expect(page.getByRole('columnheader', { name: /Last seen/ })).toHaveAttribute('aria-sort', 'descending');
});

test('a site page links to its devices in the table', async ({ page }) => {
  await logIn(page, 'viewer', '/sites/site-00102');
  await page.getByRole('link', { name: /Filter and sort these devices/ }).click();
  await expect(page).toHaveURL(/\/devices\?site=site-00102/);
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('1–4 of 4');
});

test('an empty result says why and leads back to every device', async ({ page }) => {
  await logIn(page, 'viewer', '/devices?q=no-such-device-anywhere');
  await expect(page.getByText('No devices match these filters or this search.')).toBeVisible();
  await page.getByRole('link', { name: 'Show all devices' }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(/of [\d,]+/);
});

test('type, IP and firmware sort too, and keep the filter', async ({ page }) => {
  await logIn(page, 'viewer', '/devices?status=offline');
  await page.getByRole('link', { name: 'Type', exact: true }).click();
  await expect(page).toHaveURL(/sort=type/);
  await expect(page).toHaveURL(/status=offline/);
  await expect(page.getByRole('columnheader', { name: /Type/ })).toHaveAttribute('aria-sort', 'ascending');
  const types = await page.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(types).toEqual([...types].sort());
  await page.getByRole('link', { name: 'Firmware', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Firmware/ })).toHaveAttribute('aria-sort', 'ascending');
  const firmware = await page.locator('tbody tr td:nth-child(7)').allTextContents();
  expect(firmware).toEqual([...firmware].sort());
  await page.getByRole('link', { name: 'IP', exact: true }).click();
  await expect(page).toHaveURL(/sort=ip/);
  await expect(page.getByRole('columnheader', { name: /IP/ })).toHaveAttribute('aria-sort', 'ascending');
});

test('a manager ticks every row of the page at once, with JavaScript', async ({ page, javaScriptEnabled }) => {
  await logIn(page, 'manager', '/devices?type=printer');
  const all = page.getByRole('checkbox', { name: 'Tick every row on this page' });
  if (!javaScriptEnabled) {
    // Without the app the box could do nothing, so it is not shown; each row still has its own.
    await expect(all).toBeHidden();
    await expect(page.getByRole('checkbox', { name: /^Tick / }).first()).toBeVisible();
    return;
  }
  await all.check();
  const rows = page.locator('tbody input[type="checkbox"]');
  await expect(rows).toHaveCount(25);
  for (const box of await rows.all()) await expect(box).toBeChecked();
  await page.getByRole('button', { name: 'Go' }).click();
  await expect(page.getByRole('heading', { name: 'Archive 25 devices?' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/type=printer/);
});
