// A site is chosen by id or name: the device form arrives with sites to choose from (JavaScript
// or not), and with JavaScript the choices follow what is typed, on the form and the filter.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('the device form offers sites, and finds one by its name', async ({ page, javaScriptEnabled }) => {
  await logIn(page, 'manager', '/devices/new');
  const choices = page.locator('#f-site-choices option');
  await expect(choices).toHaveCount(25);
  test.skip(!javaScriptEnabled, 'without JavaScript the browser narrows the list it was given');
  await page.waitForLoadState('networkidle'); // the app has loaded and follows typing
  await page.getByLabel('Site id').fill('Paris Flagship');
  await expect(page.locator('#f-site-choices option[value="site-00102"]')).toHaveCount(1);
  await expect(choices).toHaveCount(1);
});

test('the devices filter finds a site by its name once typed into', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the filter asks for sites only as one types');
  await logIn(page, 'viewer', '/devices');
  await expect(page.locator('#site-choices option')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Site', { exact: true }).fill('Lyon Depot');
  await expect(page.locator('#site-choices option[value="site-00101"]')).toHaveCount(1);
});
