// Backups as an admin: create (verified), verify again, download; a restore with the wrong word
// is refused, then done right with a summary; the health page says HEALTHY.
import { expect, test } from './fixtures';
import { logIn, password } from './helpers';

test('an admin creates, verifies, downloads and restores a backup', async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page, 'admin', '/admin/backups');
  await page.getByRole('button', { name: 'Create backup now' }).click();
  await expect(page.getByText('Backup created and verified.')).toBeVisible({ timeout: 60_000 });
  const row = page.getByRole('row').filter({ hasText: 'manual' }).first();
  await expect(row.getByText('verified', { exact: true })).toBeVisible();

  await row.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText(/Backup verified: it decompresses/)).toBeVisible({ timeout: 60_000 });

  const download = page.waitForEvent('download');
  await page.getByRole('row').filter({ hasText: 'manual' }).first().getByRole('link', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^backroom-.*-manual\.db\.zst$/);
  const bytes = Buffer.concat(await (await file.createReadStream()).toArray());
  expect([...bytes.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);

  await page.getByLabel('Your password').fill(password);
  await page.getByLabel('Type RESTORE to confirm').fill('restore');
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.locator('.field-error').getByText('Type RESTORE in capitals to confirm.')).toBeVisible();

  await page.getByLabel('Your password').fill(password);
  await page.getByLabel('Type RESTORE to confirm').fill('RESTORE');
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByText('Restore finished. Every other session has ended.')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText(/Proven: a snapshot taken after the restore matches/)).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'pre-restore' }).first()).toBeVisible();
});

test('the health page says HEALTHY', async ({ page }) => {
  await logIn(page, 'admin', '/admin/health');
  await expect(page.getByText('Overall:')).toBeVisible();
  await expect(page.locator('.overall').getByText('HEALTHY')).toBeVisible();
  await expect(page.getByRole('row', { name: /Integrity/ }).getByText('HEALTHY')).toBeVisible();
});
