// Logging in and out, and the redirect for pages that need a login.
import { expect, test } from './fixtures';
import { logIn, password } from './helpers';

test('a wrong password is refused, the right one lets the user in', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F|\/login\?next=\//);
  await page.getByLabel('Username').fill('staff');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  // What was typed comes back (but the password), with or without JavaScript.
  await expect(page.getByLabel('Username')).toHaveValue('staff');
  await expect(page.getByLabel('Password')).toHaveValue('');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Fleet overview' })).toBeVisible();
  await expect(page.getByText('Demo staff')).toBeVisible();
});

test('a page asked for before login opens after login', async ({ page }) => {
  await page.goto('/sites?q=site-0004');
  await expect(page).toHaveURL(/\/login\?next=/);
  await logIn(page, 'viewer', '/sites?q=site-0004');
  await expect(page).toHaveURL(/\/sites\?q=site-0004/);
  await expect(page.getByRole('heading', { name: 'Sites' })).toBeVisible();
});

test('logging out ends the session', async ({ page }) => {
  await logIn(page, 'manager');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.goto('/sites');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('the home page summarises the fleet', async ({ page }) => {
  await logIn(page, 'admin');
  const devices = page.locator('.stat', { hasText: 'active devices' });
  await expect(devices).toContainText('10,012');
  await expect(page.getByRole('table')).toContainText('online');
  // What needs attention leads to it: all devices in error, and the first five by name.
  const attention = page.getByRole('region', { name: 'Needs attention' });
  await expect(attention.getByRole('link', { name: /devices? in error/ })).toHaveAttribute('href', '/devices?status=error');
  await expect(attention.getByRole('link', { name: /^pos-terminal-/ })).toHaveCount(5);
  await expect(page.getByRole('heading', { name: 'Your recent actions' })).toBeVisible();
});

test('an unknown page answers 404 with a way back', async ({ page }) => {
  await logIn(page, 'viewer');
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the start page' })).toBeVisible();
});
