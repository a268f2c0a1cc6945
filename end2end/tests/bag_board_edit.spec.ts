// The bag board, with and without JavaScript: a bag of the demo receive reads "under" until a
// bag count of 98 of its 100 is saved; with JavaScript the open board turns to "a match" by
// itself (the server's live feed), without it the page carries its 30 s refresh and shows the
// new status on its next load.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('the bag board shows a new count of a bag', async ({ page, javaScriptEnabled }) => {
  const bag = javaScriptEnabled ? 'PO-TEST-001-1-1-3' : 'PO-TEST-001-1-1-4';
  await logIn(page, 'staff', '/bags');
  await expect(page.getByRole('heading', { name: 'Bag board' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: bag });
  await expect(row).toContainText('under');
  await expect(row.getByRole('cell').nth(4)).toHaveText('-100');
  if (!javaScriptEnabled) {
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '30');
  }

  const floor = await page.context().newPage();
  await floor.goto('/floor?kind=bag');
  await floor.getByLabel('Bag label').fill(bag);
  await floor.getByLabel('Tablets counted').fill('98');
  await floor.getByRole('button', { name: 'Save count' }).click();
  await expect(floor.getByRole('status').filter({ hasText: 'Saved bag count' })).toContainText('The bag holds 98 counted of 100 on its label: a match.');
  await floor.close();

  if (!javaScriptEnabled) {
    await page.reload();
  }
  await expect(row).toContainText('a match', { timeout: 10_000 });
  await expect(row.getByRole('cell').nth(4)).toHaveText('-2');
});
