// The review queue as a manager, with and without JavaScript: a packaged count saved without a
// bag waits as "No bag"; approving it is refused until it is on a PO; put on PO-TEST-001 it
// waits for approval only; approved from one page, the same approval sent from a page opened
// before is refused as already verified. The submissions list then shows it verified, the
// warehouse's dashboard its figures, and the list's CSV downloads with the 18 columns.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

async function countWithoutBag(page: import('@playwright/test').Page, loose: string): Promise<string> {
  await logIn(page, 'staff', '/floor');
  await page.getByLabel('Product').selectOption('7OH 4ct');
  await page.getByLabel('Loose tablets').fill(loose);
  await page.getByRole('button', { name: 'Save count' }).click();
  const saved = page.getByRole('status').filter({ hasText: 'Saved packaged' });
  await expect(saved).toContainText(`: ${loose} tablets`);
  const text = (await saved.textContent()) ?? '';
  const id = /#(\d+)/.exec(text)?.[1];
  expect(id).toBeTruthy();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  return id as string;
}

test('a manager puts a count on a PO and approves it; the second approval is refused', async ({ page, javaScriptEnabled }) => {
  const loose = javaScriptEnabled ? '311' : '312';
  const id = await countWithoutBag(page, loose);
  await logIn(page, 'manager', '/review');
  await expect(page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByLabel(`Tick submission ${id}`) });
  await expect(row).toContainText('No bag');
  await expect(row).toContainText(loose);

  await row.getByLabel(`Tick submission ${id}`).check();
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toHaveText('0 submissions approved.');
  await expect(page.getByRole('alert')).toContainText(`Submission ${id}: cannot approve an unassigned submission`);

  await row.getByLabel(`Tick submission ${id}`).check();
  await page.getByLabel('PO number').fill('PO-TEST-001');
  await page.getByRole('button', { name: 'Put on this PO' }).click();
  await expect(page.getByRole('status')).toHaveText('1 submission put on PO-TEST-001.');
  await expect(row).toHaveCount(0);

  await page.getByRole('link', { name: /^Awaiting approval only/ }).click();
  await expect(row).toContainText('PO-TEST-001');
  const stale = await page.context().newPage();
  await stale.goto('/review?show=approval');
  const staleRow = stale.getByRole('row').filter({ has: stale.getByLabel(`Tick submission ${id}`) });
  await expect(staleRow).toContainText('Awaiting approval');

  await row.getByLabel(`Tick submission ${id}`).check();
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toHaveText('1 submission approved.');
  await expect(row).toHaveCount(0);

  await staleRow.getByLabel(`Tick submission ${id}`).check();
  await stale.getByRole('button', { name: 'Approve' }).click();
  await expect(stale.getByRole('alert')).toContainText(`Submission ${id}: already verified`);
  await stale.close();

  await page.goto(`/submissions?kind=packaged&po=PO-TEST-001`);
  const listed = page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: loose, exact: true }) })
    .filter({ hasText: 'yes, by manager' });
  await expect(listed).toHaveCount(1);

  await page.goto('/warehouse');
  await expect(page.getByText('Open POs', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Last 10 submissions' })).toBeVisible();
});

test('the submissions list filters, counts the unverified and downloads its CSV', async ({ page }) => {
  await logIn(page, 'viewer', '/submissions');
  await expect(page.getByRole('heading', { name: 'Submissions' })).toBeVisible();
  await page.getByLabel('Kind').selectOption('packaged');
  await page.getByLabel('From').fill('2026-01-01');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/kind=packaged/);
  await expect(page.locator('#unverified-count')).toContainText('under these filters');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray();
  const lines = Buffer.concat(text).toString('utf8').trimEnd().split('\n');
  expect(lines[0].split(',')).toHaveLength(18);
  expect(lines[0]).toBe(
    'Submission Date,Created At,Employee Name,Product Name,Tablet Type,PO Number,Box Number,Bag Number,' +
      'Displays Made,Packs Remaining,Loose Tablets,Damaged Tablets,Total Tablets,Running Total (Bag),' +
      'Bag Label Count,Count Status,PO Assignment Verified,Admin Notes',
  );
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((l) => l.includes(',7OH 4ct,'))).toBe(true);

  await page.goto('/submissions?from=2026-13-01');
  await expect(page.getByRole('alert')).toContainText('“2026-13-01” is not a day: enter it as YYYY-MM-DD.');
  await expect(page.getByLabel('From')).toBeVisible();
});

test('staff change and delete their own unapproved count', async ({ page, javaScriptEnabled }) => {
  const loose = javaScriptEnabled ? '321' : '322';
  const id = await countWithoutBag(page, loose);
  await logIn(page, 'staff', '/submissions?kind=packaged&from=2026-01-01');
  await page.getByRole('link', { name: `Change submission ${id}` }).click();
  await expect(page.getByRole('heading', { name: `Change packaged count #${id}` })).toBeVisible();
  await expect(page.getByLabel('Loose tablets')).toHaveValue(loose);
  await page.getByLabel('Loose tablets').fill('5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved packaged' })).toContainText(`Saved packaged #${id}: 5 tablets.`);

  await page.goto(`/submissions/${id}/edit`);
  await page.getByRole('button', { name: 'Delete count' }).click();
  await expect(page.getByRole('status')).toHaveText(`Submission ${id} deleted.`);
  await expect(page.getByRole('link', { name: `Change submission ${id}` })).toHaveCount(0);
  const gone = await page.goto(`/submissions/${id}/edit`);
  expect(gone?.status()).toBe(404);
});
