// Shared steps: log in through the real form as one of the demo users.
import { expect, type Page } from '@playwright/test';

export const password = process.env.E2E_PASSWORD ?? '';

export async function logIn(page: Page, username: string, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}
