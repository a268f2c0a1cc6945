// Receiving as a manager: a PO of two lines, a receive of two boxes typed into the scanner
// field (Enter after each line, the field empty and focused again, a duplicate bag refused
// with what was typed kept), published, its labels printed with their QR codes, and the
// overs PO once the counts exceed the order. Both projects share one database, so every PO
// carries the project's name.
import { expect, test } from './fixtures';
import { logIn } from './helpers';
import { setLineCounts } from './warehouse_counts';

test('a manager receives two boxes through the scanner field, prints their labels, and makes the overs PO', async ({ page }, info) => {
  const number = `PO-RCV-${info.project.name}`;
  await logIn(page, 'manager', '/pos/new');
  await page.getByLabel('PO number').fill(number);
  await page.getByLabel('Tablet type').selectOption('18mg 7OH');
  await page.getByLabel('Inventory item, line 1').fill('INV-7OH-18');
  await page.getByLabel('Quantity, line 1').fill('500');
  await page.getByLabel('Inventory item, line 2').fill('INV-FIX-RELAX');
  await page.getByLabel('Quantity, line 2').fill('200');
  await page.getByRole('button', { name: 'Create purchase order' }).click();
  await expect(page.getByText('Purchase order created.')).toBeVisible();

  await page.getByRole('link', { name: 'New receive' }).click();
  await expect(page.getByLabel('PO number')).toHaveValue(number);
  await page.getByLabel('Shipment reference').fill('SHIP-E2E');
  await page.getByRole('button', { name: 'Create and scan bags' }).click();
  await expect(page.getByRole('heading', { name: `${number}-1 Draft` })).toBeVisible();

  const scan = page.getByLabel('Scan or type');
  await expect(scan).toBeFocused();
  await scan.fill('12 bags of 40');
  await scan.press('Enter');
  await expect(page.getByText('Box 1: added bags 1–12 of 40 tablets.')).toBeVisible();
  await expect(scan).toBeFocused();
  await expect(scan).toHaveValue('');
  await scan.fill('next');
  await scan.press('Enter');
  await expect(page.getByText('Box 2: scan its bags.')).toBeVisible();
  await expect(page.getByLabel('Box', { exact: true })).toHaveValue('2');
  await scan.fill('3: 40');
  await scan.press('Enter');
  await expect(page.getByText('Box 2: added bag 3 of 40 tablets.')).toBeVisible();
  await scan.fill('3: 40');
  await scan.press('Enter');
  await expect(page.locator('.field-error').getByText('Box 2 has a bag 3 already (40 tablets).')).toBeVisible();
  await expect(scan).toHaveValue('3: 40');
  await scan.fill('2x40');
  await scan.press('Enter');
  await expect(page.getByText('Box 2: added bags 4–5 of 40 tablets.')).toBeVisible();
  await expect(page.getByRole('cell', { name: `${number}-1-2-5` })).toBeVisible();
  await expect(page.getByText('Box 1: 12 bags, 480 tablets · Box 2: 3 bags, 120 tablets')).toBeVisible();

  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('heading', { name: `${number}-1 Published` })).toBeVisible();
  await expect(page.getByLabel('Scan or type')).toHaveCount(0);

  await page.getByRole('link', { name: 'Print labels' }).click();
  await expect(page.getByRole('heading', { name: `Labels of ${number}-1` })).toBeVisible();
  await expect(page.locator('.labels-a4 .label')).toHaveCount(15);
  await expect(page.locator('.label .qr svg')).toHaveCount(15);
  await expect(page.getByRole('img', { name: `QR code of ${number}-1-1-12` })).toBeVisible();
  await page.getByRole('link', { name: '4 × 6 in label printer' }).click();
  await expect(page.locator('.labels-4x6 .label')).toHaveCount(15);

  setLineCounts(number, 1, 512, 3);
  setLineCounts(number, 2, 200, 0);
  await page.goto(`/pos/${number}`);
  await expect(page.getByRole('cell', { name: '600' }).first()).toBeVisible(); // received by label
  await page.getByRole('button', { name: 'Create overs PO' }).click();
  await expect(page.getByRole('heading', { name: `${number}-OVERS Draft` })).toBeVisible();
  const overs = page.getByRole('row', { name: /INV-7OH-18/ });
  await expect(overs.getByRole('cell', { name: '15', exact: true }).first()).toBeVisible(); // ordered: the excess
  await page.getByRole('link', { name: number, exact: true }).click();
  await expect(page.getByText(`Overs PO ${number}-OVERS made for 15 tablets`)).toBeVisible();
  await expect(page.getByRole('link', { name: `Receive ${number}-1 published` })).toBeVisible();
});
