// Every form that can fail validation keeps what was typed (all but passwords), shows the message
// at the field and a summary at the top, and brings the user to that summary: with JavaScript
// off through the page anchor, with it on by focus. Nothing here is saved: each submit fails.
import { type Page, type TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { logIn } from './helpers';

async function expectSummary(page: Page, info: TestInfo, message: RegExp): Promise<void> {
  const summary = page.locator('#form-errors');
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('link', { name: message })).toBeVisible();
  if (info.project.use.javaScriptEnabled) {
    await expect(summary).toBeFocused();
  } else {
    await expect(page).toHaveURL(/#form-errors$/);
  }
}

test('a new site keeps what was typed', async ({ page }, info) => {
  await logIn(page, 'manager', '/sites/new');
  await page.getByLabel('Site id').fill('bad id!');
  await page.getByLabel('Name').fill('Kept site name');
  await page.getByLabel('Location').fill('1 Kept Street');
  await page.getByRole('button', { name: 'Create site' }).click();
  await expectSummary(page, info, /site id/i);
  await expect(page.getByLabel('Site id')).toHaveValue('bad id!');
  await expect(page.getByLabel('Name')).toHaveValue('Kept site name');
  await expect(page.getByLabel('Location')).toHaveValue('1 Kept Street');
  await expect(page.getByLabel('Site id')).toHaveAttribute('aria-invalid', 'true');
});

test('a site edit keeps what was typed', async ({ page }, info) => {
  await logIn(page, 'manager', '/sites/site-00102/edit');
  await page.getByLabel('Name').fill('Renamed but refused');
  await page.getByLabel('Latitude').fill('123');
  await page.getByRole('button', { name: 'Save site' }).click();
  await expectSummary(page, info, /number from -90 to 90/);
  await expect(page.getByLabel('Name')).toHaveValue('Renamed but refused');
  await expect(page.getByLabel('Latitude')).toHaveValue('123');
});

test('a new device keeps what was typed, its type included', async ({ page }, info) => {
  await logIn(page, 'manager', '/devices/new');
  await page.getByLabel('Device id').fill('kept-device-1');
  await page.getByLabel('Name').fill('Kept printer');
  await page.getByLabel('Type').selectOption('printer');
  await page.getByLabel('Site id').fill('site-00101');
  await page.getByLabel('IP address').fill('999.1.1.1');
  await page.getByRole('button', { name: 'Create device' }).click();
  await expectSummary(page, info, /./);
  await expect(page.getByLabel('Device id')).toHaveValue('kept-device-1');
  await expect(page.getByLabel('Name')).toHaveValue('Kept printer');
  await expect(page.getByLabel('Type')).toHaveValue('printer');
  await expect(page.getByLabel('IP address')).toHaveValue('999.1.1.1');
});

test('a config edit is not thrown away', async ({ page }, info) => {
  await logIn(page, 'manager', '/devices/pos-terminal-000007');
  const config = '{"currency": "EUR", "lanes": 4,';
  await page.getByLabel('Config (a JSON object)').fill(config);
  await page.getByRole('button', { name: 'Save config' }).click();
  await expect(page.locator('#form-errors')).toBeVisible();
  await expect(page.getByLabel('Config (a JSON object)')).toHaveValue(config);
});

test('a new user keeps everything but the password', async ({ page }, info) => {
  await logIn(page, 'admin', '/admin/users/new');
  await page.getByLabel('Username').fill(`kept-${info.project.name}`);
  await page.getByLabel('Email').fill('kept@example.com');
  await page.getByLabel('Full name').fill('Kept Person');
  await page.getByLabel('Role').selectOption('manager');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expectSummary(page, info, /at least 8 characters/);
  await expect(page.getByLabel('Username')).toHaveValue(`kept-${info.project.name}`);
  await expect(page.getByLabel('Email')).toHaveValue('kept@example.com');
  await expect(page.getByLabel('Full name')).toHaveValue('Kept Person');
  await expect(page.getByLabel('Role')).toHaveValue('manager');
  await expect(page.getByLabel('Password')).toHaveValue(info.project.use.javaScriptEnabled ? 'short' : '');
});

test('a user edit keeps an unticked box and a changed role', async ({ page }, info) => {
  await logIn(page, 'admin', '/admin/users');
  await page.getByRole('link', { name: 'staff', exact: true }).click();
  await page.getByLabel('Email').fill('not an email');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByLabel(/Active/).uncheck();
  await page.getByRole('button', { name: 'Save user' }).click();
  await expectSummary(page, info, /email/i);
  await expect(page.getByLabel('Email')).toHaveValue('not an email');
  await expect(page.getByLabel('Role')).toHaveValue('viewer');
  await expect(page.getByLabel(/Active/)).not.toBeChecked();
});

test('a purge confirmation keeps what was typed', async ({ page }, info) => {
  await logIn(page, 'manager', '/sites/site-00101');
  await page.getByLabel('Type the site id to confirm').fill('site-0010');
  await page.getByRole('button', { name: 'Purge site' }).click();
  await expect(page.locator('#form-errors')).toBeVisible();
  await expect(page.getByLabel('Type the site id to confirm')).toHaveValue('site-0010');
});
