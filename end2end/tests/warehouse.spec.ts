// The warehouse as a viewer: the demo catalogue listed, searched and read, the demo POs and
// the demo receive with its labels, with no way to change any of them.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('a viewer reads the demo catalogue but cannot change it', async ({ page }) => {
  await logIn(page, 'viewer', '/warehouse/tablet-types');
  await expect(page.getByRole('heading', { name: 'Tablet types' })).toBeVisible();
  await expect(page.getByText('15 tablet types')).toBeVisible();
  await expect(page.getByRole('link', { name: 'New tablet type' })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Warehouse reference data' }).getByRole('link', { name: 'Products' }).click();
  await page.getByLabel('Search').fill('fix relax');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=fix\+relax/);
  const table = page.getByRole('table');
  await expect(table.getByRole('row')).toHaveCount(3); // the header, 5ct and 12ct
  await table.getByRole('link', { name: '12ct FIX Relax' }).click();
  await expect(page.getByRole('heading', { name: '12ct FIX Relax' })).toBeVisible();
  await expect(page.getByText('Tablets per package')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Archive/ })).toHaveCount(0);
});

test('a viewer reads the demo purchase orders but has no way to change them', async ({ page }) => {
  await logIn(page, 'viewer', '/pos');
  await expect(page.getByRole('heading', { name: 'Purchase orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New purchase order' })).toHaveCount(0);
  await page.getByLabel('Tablet type').selectOption('FIX Relax');
  await page.getByLabel('Vendor').fill('');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/tablet_type=FIX\+Relax/);
  await expect(page.getByRole('link', { name: 'PO-TEST-001', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', /^\/pos\/export\?.*tablet_type=FIX\+Relax/);
  await page.getByRole('link', { name: 'PO-TEST-002', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'PO-TEST-002 Issued' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'FIX Relax' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '2,000' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Change this PO' })).toHaveCount(0);
});

test('a viewer reads the demo receive and its labels but has no way to change them', async ({ page }) => {
  await logIn(page, 'viewer', '/receives');
  await expect(page.getByRole('link', { name: 'New receive' })).toHaveCount(0);
  await page.getByRole('link', { name: 'PO-TEST-001-1' }).click();
  await expect(page.getByRole('heading', { name: 'PO-TEST-001-1 Published' })).toBeVisible();
  await expect(page.getByText('Box 1: 5 bags, 500 tablets · Box 2: 5 bags, 500 tablets')).toBeVisible();
  await expect(page.getByLabel('Scan or type')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Change this receive' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Print labels' }).click();
  await expect(page.locator('.label .qr svg')).toHaveCount(10);
  await expect(page.getByText('PO-TEST-001-1-2-5')).toBeVisible();
});
