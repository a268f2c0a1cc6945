// A device's page: chart and history for everyone, config edits with validation for managers.
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('shows the response-time chart and the health history', async ({ page }) => {
  await logIn(page, 'viewer', '/devices?site=site-00102');
  await page.getByRole('link', { name: 'pos-terminal-010005' }).click();
  await expect(page.getByRole('heading', { name: /POS Terminal 1/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Response time, 3 checks, average/ })).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(3);
  await page.getByRole('link', { name: 'Last 7 days' }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole('link', { name: 'Last 7 days' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('textbox', { name: /Config/ })).toHaveCount(0);
});

test('a manager gets a clear message for bad config, then saves a good one', async ({ page }) => {
  await logIn(page, 'manager', '/devices/pos-terminal-010006');
  const editor = page.getByRole('textbox', { name: /Config/ });
  await editor.fill('["not", "an", "object"]');
  await page.getByRole('button', { name: 'Save config' }).click();
  await expect(page.getByText('The config must be a JSON object')).toBeVisible();

  await page.getByRole('textbox', { name: /Config/ }).fill('{"heartbeat_s": 45, "locale": "fr_FR"}');
  await page.getByRole('button', { name: 'Save config' }).click();
  await expect(page.getByText('Config saved.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: /Config/ })).toHaveValue(/"heartbeat_s": 45/);
});
