// Error pages and small things: a refused page says who may see it and leads back, every error
// page has a title, and the first Tab stop skips to the content.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('a page for admins tells a viewer who may see it and leads back', async ({ page }) => {
  await logIn(page, 'viewer', '/admin/users');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByText('Only admins may see this page; you are logged in as a viewer.')).toBeVisible();
  await expect(page).toHaveTitle('Not allowed · Backroom');
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('a missing page has a title and a way back', async ({ page }) => {
  await logIn(page, 'viewer', '/no-such-page');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page).toHaveTitle('Not found · Backroom');
  await expect(page.getByRole('link', { name: 'Back to the start page' })).toBeVisible();
});

test('the first Tab stop skips to the content', async ({ page }) => {
  await logIn(page, 'viewer', '/sites');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await expect(skip).toHaveAttribute('href', '#main');
});

test('an empty admin list says why and leads back', async ({ page }) => {
  await logIn(page, 'admin', '/admin/audit?event=no.such.event');
  await expect(page.getByText('No events match these filters or this search.')).toBeVisible();
  await page.getByRole('link', { name: 'Show all events' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await page.goto('/admin/users?q=nobody-with-this-name');
  await expect(page.getByText('No users match these filters or this search.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Show all users' })).toHaveAttribute('href', '/admin/users');
});
