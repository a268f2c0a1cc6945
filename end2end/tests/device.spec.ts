// A device's page: chart and history for everyone, config edits with validation for managers.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

// The demo terminal in error: the demo reporter leaves it alone, so it keeps its three checks.
test('shows the response-time chart and the health history', async ({ page }) => {
  await logIn(page, 'viewer', '/devices?site=site-00103');
  await page.getByRole('link', { name: 'pos-terminal-010010' }).click();
  await expect(page.getByRole('heading', { name: /POS Terminal 2/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /POS Terminal 2/ })).toContainText(/error · last seen 1 h ago/);
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
  await expect(page.locator('#config-error')).toHaveText(/The config must be a JSON object/);
  await expect(page.locator('#form-errors')).toBeVisible();

  await page.getByRole('textbox', { name: /Config/ }).fill('{"heartbeat_s": 45, "locale": "fr_FR"}');
  await page.getByRole('button', { name: 'Save config' }).click();
  await expect(page.getByText('Config saved.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: /Config/ })).toHaveValue(/"heartbeat_s": 45/);
});
