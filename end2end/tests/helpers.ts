// Shared steps: log in through the real form as one of the demo users.
import { expect, type Page } from '@playwright/test';

export const password = process.env.E2E_PASSWORD ?? '';

export async function logIn(page: Page, username: string, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // The menu (a bar on a desktop, folded on a phone) is there only for a logged-in user.
  await expect(page.locator('details.menu')).toBeAttached();
}
