// The sites table: paging, search, sorting and a site's page.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('pages through the sites with next, numbers and back', async ({ page }) => {
  await logIn(page, 'viewer', '/sites');
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('1–25 of 103');
  await pager.getByRole('link', { name: 'Next ›' }).click();
  await expect(pager).toContainText('26–50 of 103');
  await expect(page.getByRole('cell', { name: 'site-00026' })).toBeVisible();
  await pager.getByRole('link', { name: 'Page 5' }).click();
  await expect(pager).toContainText('101–103 of 103');
  await expect(pager.getByRole('link', { name: 'Next ›' })).toHaveCount(0);
  await pager.getByRole('link', { name: '‹ Previous' }).click();
  await expect(pager).toContainText('76–100 of 103');
  await page.goBack();
  await expect(pager).toContainText('101–103 of 103');
});

test('searches by site id and by name, then clears', async ({ page }) => {
  await logIn(page, 'viewer', '/sites');
  await page.getByRole('searchbox', { name: 'Search' }).fill('site-0004');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=site-0004/);
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('1–10 of 10');
  await page.getByRole('searchbox', { name: 'Search' }).fill('paris flagship');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('link', { name: 'site-00102' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill('no such site anywhere');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No sites match these filters or this search.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Show all sites' })).toHaveAttribute('href', '/sites');
});

test('sorts by name and changes rows per page', async ({ page }) => {
  await logIn(page, 'viewer', '/sites');
  await page.getByRole('link', { name: 'Name' }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
  await page.getByLabel('Rows per page').selectOption('50');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('1–50 of 103');
  await expect(page).toHaveURL(/sort=name/);
});

test('a site page shows its health and devices', async ({ page }) => {
  await logIn(page, 'viewer', '/sites?q=Paris+Flagship');
  await page.getByRole('link', { name: 'site-00102' }).click();
  await expect(page.getByRole('heading', { name: /Paris Flagship/ })).toBeVisible();
  await expect(page.getByText('4/4 terminals healthy')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'pos-terminal-010006' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '10.0.2.12' })).toBeVisible();
});
