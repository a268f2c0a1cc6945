// A user's time zone: chosen on the account page, every time is then shown in it with UTC in
// the tooltip; a zone that does not exist is refused at the field, and empty goes back to UTC.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('a user shows times in their own zone, with UTC in the tooltip', async ({ page }) => {
  await logIn(page, 'staff', '/account');
  const field = page.getByLabel('Show times in');
  await field.fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.locator('.field-error').getByText('Choose a time zone from the list')).toBeVisible();
  await expect(page.getByLabel('Show times in')).toHaveValue('Mars/Olympus_Mons');

  await page.getByLabel('Show times in').fill('Europe/Paris');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByText('Time zone saved')).toBeVisible();
  await expect(page.getByLabel('Show times in')).toHaveValue('Europe/Paris');

  await page.goto('/devices/pos-terminal-000007');
  const updated = page.locator('dd time').last();
  await expect(updated).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d CES?T$/);
  await expect(updated).toHaveAttribute('title', /UTC$/);

  await page.goto('/account');
  await page.getByLabel('Show times in').fill('');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByLabel('Show times in')).toHaveValue('UTC');
});
