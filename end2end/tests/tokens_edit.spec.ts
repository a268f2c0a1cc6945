// API tokens: an admin makes a collector token (shown once) and revokes it; a manager makes a
// device's token on its page, sees it listed there and revokes it.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('an admin makes a collector token, sees it once, and revokes it', async ({ page, context }, info) => {
  const label = `e2e collector ${info.project.name}`;
  await logIn(page, 'admin', '/admin/tokens');
  await page.getByLabel('What it is for').fill(label);
  await page.getByRole('button', { name: 'Create collector token' }).click();
  await expect(page.getByText(/New collector token \(copy it now/)).toBeVisible();
  const secret = page.locator('code.secret');
  await expect(secret).toHaveText(/^brt_[0-9a-f]{64}$/);
  const copy = page.getByRole('button', { name: 'Copy' });
  if (info.project.use.javaScriptEnabled) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await copy.click();
    await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await secret.textContent());
  } else {
    await expect(copy, 'a button that needs JavaScript is not offered without it').toBeHidden();
  }

  await page.getByRole('row').filter({ hasText: label }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Token revoked: requests with it are refused from now on.')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: label })).toHaveCount(0);
  await page.getByRole('link', { name: 'Show revoked tokens too' }).click();
  await expect(page.getByRole('row').filter({ hasText: label }).getByText(/^revoked /)).toBeVisible();
});

test('a manager makes a device token on its page and revokes it there', async ({ page }, info) => {
  const device = info.project.name === 'js-edit' ? 'pos-terminal-000321' : 'pos-terminal-000322';
  await logIn(page, 'manager', `/devices/${device}`);
  await page.getByRole('button', { name: 'Create a new token' }).click();
  await expect(page.locator('code.secret')).toHaveText(/^brt_[0-9a-f]{64}$/);
  const row = page.getByRole('row').filter({ hasText: device });
  await expect(row).toHaveCount(1);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Token revoked: the device\'s requests with it are refused from now on.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
});
