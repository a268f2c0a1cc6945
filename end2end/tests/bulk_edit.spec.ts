// Bulk actions on the devices table: tick rows, choose an action, confirm the count; archived
// devices are listed on request and restored the same way. Works with JavaScript on and off.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('a manager archives two ticked devices after a count, lists them as archived and restores them', async ({ page }, info) => {
  const [a, b] = info.project.name === 'js-edit'
    ? ['pos-terminal-000500', 'pos-terminal-000501']
    : ['pos-terminal-000502', 'pos-terminal-000503'];
  await logIn(page, 'manager', '/devices?q=pos-terminal-00050');
  await page.getByRole('button', { name: 'Go' }).click();
  await expect(page.getByRole('heading', { name: 'Nothing to do yet' })).toBeVisible();
  await expect(page.getByText('Select at least one device: tick its row.')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the devices' }).click();

  await page.getByLabel(`Tick ${a}`).check();
  await page.getByLabel(`Tick ${b}`).check();
  await page.getByLabel('With the ticked devices').selectOption('archive');
  await page.getByRole('button', { name: 'Go' }).click();
  await expect(page.getByRole('heading', { name: 'Archive 2 devices?' })).toBeVisible();
  await page.getByRole('button', { name: 'Yes, archive 2 devices' }).click();
  await expect(page.getByText('2 devices archived.')).toBeVisible();
  await expect(page).toHaveURL(/q=pos-terminal-00050/);
  await expect(page.getByRole('link', { name: a, exact: true })).toHaveCount(0);

  await page.getByLabel('Archived devices').check();
  await page.getByRole('search').getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('link', { name: a, exact: true })).toBeVisible();
  await page.getByLabel(`Tick ${a}`).check();
  await page.getByLabel(`Tick ${b}`).check();
  await page.getByLabel('With the ticked devices').selectOption('restore');
  await page.getByRole('button', { name: 'Go' }).click();
  await page.getByRole('button', { name: 'Yes, restore 2 devices' }).click();
  await expect(page.getByText('2 devices restored.')).toBeVisible();
  await expect(page.getByRole('link', { name: a, exact: true })).toHaveCount(0);
});
