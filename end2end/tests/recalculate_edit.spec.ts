// Recalculate as an admin, with and without JavaScript: a PO line changed behind Backroom's
// back (the test helper writes the database directly) is reported with its stored and derived
// counts and the difference, nothing changes until the fix is confirmed, and then no drift is
// left. Other tests' direct writes are fixed along with it.
import { expect, test } from './fixtures';
import { logIn } from './helpers';
import { setLineCounts } from './warehouse_counts';

test('an admin sees a drifted line, confirms the fix, and no drift is left', async ({ page }) => {
  setLineCounts('PO-TEST-002', 1, 5, 2);
  await logIn(page, 'admin', '/admin/settings');
  await page.getByRole('link', { name: 'Recalculate PO line counts' }).click();
  await expect(page.getByRole('heading', { name: 'Recalculate PO line counts' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'PO-TEST-002' });
  await expect(row.filter({ hasText: 'good' })).toContainText('5');
  await expect(row.filter({ hasText: 'good' }).getByRole('cell').last()).toHaveText('-5');
  await expect(row.filter({ hasText: 'damaged' }).getByRole('cell').last()).toHaveText('-2');
  await page.reload();
  await expect(row.filter({ hasText: 'good' }).getByRole('cell').last()).toHaveText('-5');
  await page.getByRole('button', { name: /^Set the \d+ line\(s\) to their submissions' sums$/ }).click();
  await expect(page.getByText(/^Set \d+ line\(s\) to the sums over their submissions\.$/)).toBeVisible();
  await expect(page.getByText('No drift: every PO line equals the sums over its submissions.')).toBeVisible();
  await page.goto('/pos/PO-TEST-002');
  await expect(page.getByRole('heading', { name: 'PO-TEST-002 Issued' })).toBeVisible();
});
