// Jobs: a manager creates a job for one site in two waves (seeing its reach first), a device
// finishes wave 1 over the agent API, the manager releases wave 2 and cancels; the timeline and
// the devices table show each step. A staff user sees the job and no actions.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

/// A collector token made on the admin's tokens page (shown once).
async function collectorToken(page: import('@playwright/test').Page, label: string): Promise<string> {
  await logIn(page, 'admin', '/admin/tokens');
  await page.getByLabel('What it is for').fill(label);
  await page.getByRole('button', { name: 'Create collector token' }).click();
  const secret = (await page.locator('code.secret').textContent()) ?? '';
  expect(secret).toMatch(/^brt_[0-9a-f]{64}$/);
  // Off the app first: a response still arriving for the tokens page would set the session
  // cookie again after it is cleared (seen once without JavaScript).
  await page.goto('about:blank');
  // Leave the page first: a response still on its way (a stylesheet, say) renews the session
  // cookie after the jar was cleared, and the next page opened logged in.
  await page.goto('about:blank');
  await page.context().clearCookies();
  return secret;
}

test('a manager rolls a job out in waves, a device finishes wave 1, and the rest is canceled', async ({ page, request }, info) => {
  // Three users, a device's whole exchange and a cancel that ends in the background: longer
  // than one page's test.
  test.setTimeout(60_000);
  const js = info.project.use.javaScriptEnabled;
  const site = js ? 'site-00007' : 'site-00008';
  const description = `e2e waves ${info.project.name}`;
  const token = await collectorToken(page, `e2e jobs ${info.project.name}`);

  await logIn(page, 'manager', '/jobs/new');
  await page.getByLabel('Action').selectOption('restart');
  await page.getByLabel('Description').fill(description);
  await page.getByLabel('One site', { exact: true }).check();
  await page.getByLabel(/^Site \(one site/).fill(site);
  await page.getByLabel('Waves (% of targets, cumulative)').fill('1,100');
  if (js) {
    // The reach follows the chosen target before anything is created.
    await page.getByLabel(/^Site \(one site/).dispatchEvent('change');
    await expect(page.getByText(/^This job reaches \d+ devices\.$/)).toBeVisible();
  }
  await page.getByRole('button', { name: 'Create job' }).click();
  if (!js) {
    // Without JavaScript the first press comes back with the number, and the second creates.
    await expect(page.getByRole('alert').filter({ hasText: /^This job reaches \d+ devices\. Check the number/ })).toBeVisible();
    await expect(page.getByLabel('Description')).toHaveValue(description);
    await page.getByRole('button', { name: 'Create job' }).click();
  }
  await expect(page.getByText('Job created. Devices get its work at their next fetch.')).toBeVisible();
  const jobId = page.url().match(/\/jobs\/(job-[0-9a-f]{8})/)?.[1] ?? '';
  expect(jobId).not.toBe('');
  const waves = page.getByRole('region', { name: 'Waves of this job' });
  await expect(waves.getByRole('row')).toHaveCount(3);

  // The first device of the site is wave 1: it fetches, acknowledges and succeeds.
  const first = page.getByRole('region', { name: 'Devices of this job' }).getByRole('row').nth(1);
  const device = (await first.getByRole('cell').first().textContent())?.trim() ?? '';
  const auth = { Authorization: `Bearer ${token}` };
  const base = `/api/v1/agent/devices/${device}`;
  const work = await request.get(`${base}/next`, { headers: auth });
  expect(work.status()).toBe(200);
  const { target_id: target, attempt } = await work.json();
  expect((await request.post(`${base}/targets/${target}/ack`, { headers: auth, data: { attempt } })).status()).toBe(200);
  const done = await request.post(`${base}/targets/${target}/status`, {
    headers: auth,
    data: { attempt, report_id: `e2e-${info.project.name}`, state: 'succeeded', message: 'restarted' },
  });
  expect(done.status()).toBe(200);

  await page.reload();
  await page.getByRole('button', { name: 'Release wave 2' }).click();
  await expect(page.getByText('Next wave released.')).toBeVisible();
  await page.getByRole('link', { name: 'Cancel job…' }).click();
  await expect(page.getByRole('heading', { name: 'Cancel this job?' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel job', exact: true }).click();
  await expect(page.getByText(/^Cancel requested/)).toBeVisible();

  // The sweeper or the cancel's own background task ends the queued work within seconds.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.page-head').getByText('canceled', { exact: true })).toBeVisible();
  }).toPass({ timeout: 20_000 });
  const timeline = page.getByRole('region', { name: 'Timeline events' });
  await expect(timeline.getByText(/^wave 2 released/)).toBeVisible();
  await expect(timeline.getByText(/^cancel requested/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'succeeded (1)' })).toBeVisible();
  await page.getByRole('link', { name: /^canceled \(\d+\)$/ }).click();
  await expect(page.getByRole('region', { name: 'Devices of this job' }).getByText('canceled').first()).toBeVisible();

  // The list finds it under its state (through the menu: with JavaScript, a call from the page).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByLabel('State').selectOption('canceled');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('link', { name: jobId })).toBeVisible();
  const csv = await request.get(`/jobs/${jobId}/devices/export`, { headers: { Cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split('\n')[0]).toBe('device_id,site_id,wave,state,attempt,progress,message,updated_at');

  // Leave the page first: a response still on its way (a stylesheet, say) renews the session
  // cookie after the jar was cleared, and the next page opened logged in.
  await page.goto('about:blank');
  await page.context().clearCookies();
  await logIn(page, 'staff', `/jobs/${jobId}`);
  await expect(page.getByRole('heading', { name: `Restart · ${jobId}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Actions' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Cancel job…' })).toHaveCount(0);
});

test('a job that reaches no device is refused until the manager confirms it', async ({ page }) => {
  await logIn(page, 'manager', '/jobs/new');
  await page.getByLabel('A segment: device type and/or status').check();
  await page.getByLabel('Device type (segment)').selectOption('iot_sensor');
  await page.getByLabel('Status (segment)').selectOption('maintenance');
  await page.getByLabel(/^Site \(one site/).fill('site-00102');
  await page.getByLabel(/^Site \(one site/).dispatchEvent('change');
  await page.getByRole('button', { name: 'Create job' }).click();
  const again = page.getByRole('button', { name: 'Create job' });
  if (await page.getByRole('alert').filter({ hasText: /^This job reaches 0 devices\. Check the number/ }).isVisible()) await again.click();
  await expect(page.getByRole('alert').filter({ hasText: /^No device matches this target/ })).toBeVisible();
  await page.getByLabel('Create it anyway if it reaches no device').check();
  await again.click();
  await expect(page.getByText('Job created. Devices get its work at their next fetch.')).toBeVisible();
  await expect(page.locator('.page-head').getByText('completed: no devices')).toBeVisible();
});
