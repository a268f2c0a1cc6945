// Admins manage users: create one (after a refused weak password), who logs in, must choose a
// password, and is logged out the moment the admin deactivates them. Each project creates its own
// user, so the JS and no-JS runs do not meet.
import { type Browser, type Page, type TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { logIn } from './helpers';

async function fillUser(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Email').fill(`${name}@example.com`);
  await page.getByLabel('Full name').fill('E2E Person');
  await page.getByLabel('Role').selectOption('staff');
  await page.getByLabel('Password').fill(password);
}

async function secondBrowser(browser: Browser, info: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    baseURL: info.project.use.baseURL,
    javaScriptEnabled: info.project.use.javaScriptEnabled,
  });
  return context.newPage();
}

test('an admin creates a user, who sets a password and is logged out when deactivated', async ({ page, browser }, info) => {
  const name = `e2e-${info.project.name}`;
  await logIn(page, 'admin', '/admin/users');
  await page.getByRole('link', { name: 'New user' }).click();
  await fillUser(page, name, 'short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('.field-error').getByText('Password must be at least 8 characters')).toBeVisible();
  await fillUser(page, name, 'first e2e passphrase');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page).toHaveURL(/\/admin\/users\/\d+/);
  await expect(page.getByText('User created.')).toBeVisible();

  const user = await secondBrowser(browser, info);
  await user.goto('/login');
  await user.getByLabel('Username').fill(name);
  await user.getByLabel('Password').fill('first e2e passphrase');
  await user.getByRole('button', { name: 'Log in' }).click();
  await expect(user).toHaveURL(/\/account\/password/);
  await expect(user.getByText('An admin set a temporary password for you.')).toBeVisible();
  await user.getByLabel('Current password').fill('first e2e passphrase');
  await user.getByLabel('New password', { exact: true }).fill('my very own e2e phrase');
  await user.getByLabel('New password again').fill('my very own e2e phrase');
  await user.getByRole('button', { name: 'Change password' }).click();
  await expect(user.getByText('Password changed.')).toBeVisible();
  await user.goto('/sites');
  await expect(user.getByRole('heading', { name: 'Sites' })).toBeVisible();

  await page.getByLabel(/Active/).uncheck();
  await page.getByRole('button', { name: 'Save user' }).click();
  await expect(page.getByText('User saved.')).toBeVisible();
  await user.goto('/sites');
  await expect(user).toHaveURL(/\/login/);

  await page.goto(`/admin/audit?event=user.updated&entity_type=user`);
  await page.getByRole('link', { name: /UTC/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Old values' })).toBeVisible();
  await expect(page.getByText('"active": false')).toBeVisible();
});

test('staff see no admin pages', async ({ page }) => {
  await logIn(page, 'staff', '/admin/users');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
});

test('an admin deactivates two ticked users after seeing their names', async ({ page }, info) => {
  const names = ['a', 'b'].map((x) => `bulk-${x}-${info.project.name}`);
  await logIn(page, 'admin', '/admin/users/new');
  for (const name of names) {
    await page.goto('/admin/users/new');
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Email').fill(`${name}@example.com`);
    await page.getByRole('button', { name: 'Create user' }).click();
    await expect(page.getByText('User created.')).toBeVisible();
  }
  await page.goto(`/admin/users?q=bulk-&active=yes`);
  for (const name of names) await page.getByLabel(`Tick ${name}`).check();
  await page.getByLabel('With the ticked users').selectOption('deactivate');
  await page.getByRole('button', { name: 'Go' }).click();
  await expect(page.getByRole('heading', { name: 'Deactivate 2 users?' })).toBeVisible();
  for (const name of names) await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Yes, deactivate 2 users' }).click();
  await expect(page.getByText('2 users deactivated.')).toBeVisible();
  await expect(page).toHaveURL(/active=yes/);
  for (const name of names) await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0);
});
