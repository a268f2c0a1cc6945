// Shared steps: log in through the real form as one of the demo users.
import { expect, type Locator, type Page } from '@playwright/test';

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

// Waits until the cells are there and every one reads exactly `text`. A narrowed list is
// replaced when its data arrives, which may be after the URL has changed, so a one-off
// snapshot of the cells could still see the old rows (or none, while they load).
export async function expectEvery(cells: Locator, text: string): Promise<void> {
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await expect(cells.first()).toBeVisible();
  await expect(cells.filter({ hasNotText: exact })).toHaveCount(0);
}
