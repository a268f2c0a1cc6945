// The floor forms as staff, with and without JavaScript: a packaged count shows its 207
// tablets before it is saved (as typed with JavaScript, on "Preview" without), is saved from
// a scanned label onto its bag, and a bag count for a bag no receive holds is refused with the
// message, what was typed kept; a viewer has none of it.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('staff see a packaged count of 207 before saving it onto the labelled bag', async ({ page, javaScriptEnabled }) => {
  await logIn(page, 'staff', '/floor');
  await expect(page.getByRole('heading', { name: 'Floor count' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Packaged' })).toHaveAttribute('aria-current', 'page');
  await page.getByLabel('Bag label').fill('PO-TEST-001-1-2-5');
  await page.getByLabel('Product').selectOption('7OH 4ct');
  await page.getByLabel('Displays').fill('2');
  await page.getByLabel('Packs').fill('10');
  await page.getByLabel('Loose tablets').fill('7');
  await page.getByLabel('Damaged tablets').fill('3');
  if (!javaScriptEnabled) {
    await expect(page.getByText('= 207 tablets')).toHaveCount(0);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByLabel('Displays')).toHaveValue('2');
    await expect(page.getByLabel('Bag label')).toHaveValue('PO-TEST-001-1-2-5');
  } else {
    await expect(page.getByRole('button', { name: 'Preview' })).toBeHidden();
  }
  await expect(page.getByText('= 207 tablets')).toBeVisible();
  await page.getByRole('button', { name: 'Save count' }).click();
  const saved = page.getByRole('status').filter({ hasText: 'Saved packaged' });
  await expect(saved).toContainText(/Saved packaged #\d+: 207 tablets and 3 damaged from bag PO-TEST-001-1-2-5\./);
  // Both projects count this bag of 100 tablets, so its running total is 207 or 414: over.
  await expect(saved).toContainText(/The bag holds (207|414) counted of 100 on its label: over\./);
  await expect(page.getByLabel('Displays')).toHaveValue('');
});

test('a bag count of a bag no receive holds is refused with the message', async ({ page }) => {
  await logIn(page, 'staff', '/floor?kind=bag');
  await expect(page.getByRole('link', { name: 'Bag count' })).toHaveAttribute('aria-current', 'page');
  await page.getByLabel('Box').fill('9999');
  await page.getByLabel('Bag', { exact: true }).fill('9999');
  await page.getByLabel('Tablet type').selectOption('18mg 7OH');
  await page.getByLabel('Tablets counted').fill('480');
  await page.getByRole('button', { name: 'Save count' }).click();
  const message = 'No received bag matches: no published receive has box 9999, bag 9999 of this tablet type.';
  await expect(page.locator('.field-error').getByText(message)).toBeVisible();
  await expect(page.getByLabel('Tablets counted')).toHaveValue('480');
  await expect(page.getByLabel('Tablet type')).toHaveValue('18mg 7OH');
});

test('a viewer has no floor counts: no menu entry, and the page says so', async ({ page }) => {
  await logIn(page, 'viewer', '/');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Purchase orders' })).toBeAttached();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Floor' })).toHaveCount(0);
  const refused = await page.goto('/floor');
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save count' })).toHaveCount(0);
});
