// Changing the fleet as a manager: create with a validation error, edit and move, archive and
// restore a site, CSV export downloads and an import with one bad row. Both projects share one
// database, so every created key carries the project's name.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { logIn } from './helpers';

async function fillDevice(page: Page, id: string, ip: string): Promise<void> {
  await page.getByLabel('Device id').fill(id);
  await page.getByLabel('Name', { exact: true }).fill('E2E till');
  await page.getByLabel('Type').selectOption('kiosk');
  await page.getByLabel('Site id').fill('site-00102');
  await page.getByLabel('IP address').fill(ip);
  await page.getByLabel('MAC address').fill('02:aa:bb:cc:dd:ee');
}

test('a manager creates a device after fixing a bad address, then moves it', async ({ page }, info) => {
  const id = `till-e2e-${info.project.name}`;
  await logIn(page, 'manager', '/devices');
  await page.getByRole('link', { name: 'New device' }).click();
  await fillDevice(page, id, '10.0.300.1');
  await page.getByRole('button', { name: 'Create device' }).click();
  await expect(page.locator('.field-error').getByText('Enter an IPv4 address like 10.0.2.11')).toBeVisible();

  await fillDevice(page, id, '10.77.0.1');
  await page.getByRole('button', { name: 'Create device' }).click();
  await expect(page).toHaveURL(new RegExp(`/devices/${id}`));
  await expect(page.getByText('Device created.')).toBeVisible();

  await page.getByRole('link', { name: 'Edit or move device' }).click();
  await page.getByLabel('Site id').fill('site-00101');
  await page.getByRole('button', { name: 'Save device' }).click();
  await expect(page.getByText('Device saved.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'site-00101' })).toBeVisible();
});

test('save and add another gives a blank form; save and continue editing stays on the form', async ({ page }, info) => {
  const key = (n: number) => `site-e2e-${info.project.name}-${n}`;
  await logIn(page, 'manager', '/sites/new');
  await page.getByLabel('Site id').fill(key(1));
  await page.getByLabel('Name', { exact: true }).fill('E2E one');
  await page.getByRole('button', { name: 'Save and add another' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'created. Add another below.' })).toContainText(key(1));
  await expect(page).toHaveURL(/\/sites\/new\?/);
  await expect(page.getByLabel('Site id')).toHaveValue('');
  await page.getByLabel('Site id').fill(key(2));
  await page.getByLabel('Name', { exact: true }).fill('E2E two');
  await page.getByRole('button', { name: 'Save and continue editing' }).click();
  await expect(page.getByText('Site created.')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/sites/${key(2)}/edit`));
  await page.getByLabel('Name', { exact: true }).fill('E2E two, renamed');
  await page.getByRole('button', { name: 'Save and continue editing' }).click();
  await expect(page.getByText('Site saved.')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('E2E two, renamed');
  await page.getByRole('button', { name: 'Save site' }).click();
  await expect(page.getByRole('heading', { name: /E2E two, renamed/ })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/sites/${key(2)}\\?done=saved`));

  // The next device goes to the same site.
  await page.goto(`/devices/new?site=${key(1)}`);
  await fillDevice(page, `till-e2e-${info.project.name}-next`, '10.78.0.1');
  await page.getByLabel('Site id').fill(key(1));
  await page.getByRole('button', { name: 'Save and add another' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'created. Add another below.' })).toBeVisible();
  await expect(page.getByLabel('Device id')).toHaveValue('');
  await expect(page.getByLabel('Site id')).toHaveValue(key(1));
});

test('a manager archives a site after saying yes, and restores it', async ({ page }) => {
  await logIn(page, 'manager', '/sites/site-00103');
  await page.getByRole('link', { name: 'Archive site' }).click();
  const question = page.getByRole('alertdialog', { name: 'Archive site-00103?' });
  await expect(question).toContainText(/its \d+ devices? leave the active lists/);
  await question.getByRole('link', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.getByText(/This site is archived/)).toHaveCount(0);
  await page.getByRole('link', { name: 'Archive site' }).click();
  await page.getByRole('button', { name: 'Yes, archive the site' }).click();
  await expect(page.getByText('Site archived.')).toBeVisible();
  await expect(page.getByText(/This site is archived/)).toBeVisible();
  await page.goto('/sites?archived=1');
  await expect(page.getByRole('link', { name: 'site-00103' })).toBeVisible();
  await page.getByRole('link', { name: 'site-00103' }).click();
  await page.getByRole('button', { name: 'Restore site' }).click();
  await expect(page.getByText('Site restored.')).toBeVisible();
  await expect(page.getByText(/This site is archived/)).toHaveCount(0);
});

test('a manager archives a device after saying yes, and restores it', async ({ page }) => {
  await logIn(page, 'manager', '/devices/pos-terminal-010004');
  await page.getByRole('link', { name: 'Archive device' }).click();
  const question = page.getByRole('alertdialog', { name: 'Archive pos-terminal-010004?' });
  await expect(question).toContainText('its health history is kept');
  await question.getByRole('button', { name: 'Yes, archive the device' }).click();
  await expect(page.getByText('Device archived.')).toBeVisible();
  await page.getByRole('button', { name: 'Restore device' }).click();
  await expect(page.getByText('Device restored.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Archive device' })).toBeVisible();
});

test('the devices export downloads the filtered rows as CSV', async ({ page }) => {
  await logIn(page, 'viewer', '/devices?status=error&type=kiosk');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export these devices as CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('devices.csv');
  const text = await (await file.createReadStream()).toArray();
  const lines = Buffer.concat(text).toString('utf8').trim().split('\n');
  expect(lines[0]).toBe('id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config');
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(',kiosk,');
});

test('an import with one bad row writes nothing, then the good rows on request', async ({ page }, info) => {
  const base = info.project.name === 'js-edit' ? 20_001 : 20_011;
  const row = (n: number, mac: string) =>
    `${base + n},e2e-${info.project.name}-${n},Imported ${n},printer,site-00101,offline,10.88.${n}.1,${mac},2.1.0,,{}`;
  const csv = ['id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config',
    row(0, '02:00:00:00:00:01'), row(1, 'not-a-mac'), row(2, '02:00:00:00:00:03')].join('\n') + '\n';
  const upload = async (skip: boolean) => {
    await page.getByLabel('File', { exact: true }).selectOption('devices.csv');
    await page.getByLabel('CSV file').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    if (skip) await page.getByLabel(/Import the good rows/).check();
    await page.getByRole('button', { name: 'Import' }).click();
  };
  await logIn(page, 'manager', '/import');
  // The page lists the columns the file needs: exactly the header this file starts with.
  await expect(page.getByRole('heading', { name: 'Expected columns' })).toBeVisible();
  await expect(page.getByText(csv.split('\n')[0], { exact: true })).toBeVisible();
  await upload(false);
  await expect(page.getByText('devices.csv was not imported: nothing was written.')).toBeVisible();
  await expect(page.getByRole('row', { name: /^3 mac_address/ })).toBeVisible();
  await upload(true);
  await expect(page.getByText('devices.csv imported.')).toBeVisible();
  await expect(page.getByText(/3 rows: 2 created, 0 updated, 0 skipped, 1 with errors/)).toBeVisible();
});

test('devices whose rows name no site go to the site picked on the import page', async ({ page }, info) => {
  const id = `e2e-picked-${info.project.name}`;
  const csv = 'id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config\n' +
    `,${id},Picked till,pos_terminal,,,,,,,\n`;
  await logIn(page, 'manager', '/import');
  await page.getByLabel('File', { exact: true }).selectOption('devices.csv');
  await page.getByLabel('CSV file').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel(/Site for devices whose row names none/).fill('site-00102');
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText('devices.csv imported.')).toBeVisible();
  await page.goto(`/devices/${id}`);
  await expect(page.getByRole('link', { name: 'site-00102' })).toBeVisible();
});
