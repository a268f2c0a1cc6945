// A phone (390×844): no page scrolls sideways, wide tables scroll in their own box, and the
// navigation folds into a menu that opens without JavaScript.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

// Every page an admin can reach, with one object of each kind from the demo data.
const pages = [
  '/',
  '/sites',
  '/sites/new',
  '/sites/site-00102',
  '/sites/site-00102/edit',
  '/devices',
  '/devices/new',
  '/devices/pos-terminal-010005',
  '/devices/pos-terminal-010005/edit',
  '/import',
  '/jobs',
  '/jobs/new',
  '/account',
  '/account/password',
  '/admin/users',
  '/admin/users/new',
  '/admin/users/1',
  '/admin/sessions',
  '/admin/tokens',
  '/admin/audit',
  '/admin/backups',
  '/admin/health',
  '/no-such-page',
];

async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test('no page scrolls sideways on a phone', async ({ page }) => {
  // 25 pages, each also run through axe (fixtures.ts): without JavaScript that took 46 s here.
  test.slow();
  await page.goto('/login');
  expect(await sidewaysScroll(page), '/login').toBeLessThanOrEqual(0);
  await logIn(page, 'admin');
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator('main h1').first(), path).toBeVisible();
    expect(await sidewaysScroll(page), path).toBeLessThanOrEqual(0);
  }
  // A job page (the demo's running job, in waves): its id is made when the demo is seeded.
  await page.goto('/jobs?state=running');
  const jobs = page.getByRole('region', { name: 'Jobs' });
  await jobs.getByRole('link', { name: /^job-/ }).first().click();
  await expect(page.locator('main h1').first()).toContainText('job-');
  expect(await sidewaysScroll(page), 'a job page').toBeLessThanOrEqual(0);
});

test('the menu folds away on a phone and opens with a tap', async ({ page }) => {
  await logIn(page, 'admin', '/sites');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await page.getByText('Menu', { exact: true }).click();
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Devices' }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
});

test('on a desktop the menu is a plain bar', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await logIn(page, 'admin', '/sites');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('Menu', { exact: true })).toBeHidden();
});
