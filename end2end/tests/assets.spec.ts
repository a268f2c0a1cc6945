// The front end's files: built for release, compressed as the browser asks, under a versioned
// path kept for a year, so a first page downloads at most 400 KB of them and a second none.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { logIn } from './helpers';

type Kind = 'wasm' | 'js' | 'css';

/// Bytes of each kind of front-end file received over the network (compressed) from now on.
function countTransfers(page: Page): Record<Kind, number> {
  const bytes: Record<Kind, number> = { wasm: 0, js: 0, css: 0 };
  page.on('requestfinished', async (request) => {
    const kind = request.url().match(/\/pkg\/.*\.(wasm|js|css)$/)?.[1] as Kind | undefined;
    // A file served from the browser's cache reports a size of zero or less (nothing came).
    if (kind) bytes[kind] += Math.max(0, (await request.sizes()).responseBodySize);
  });
  return bytes;
}

test('front-end files are compressed, versioned and kept: a second page fetches none', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'without JavaScript no wasm is fetched');
  const wasm = page.waitForResponse(/\/pkg\/[0-9a-f]{16}\/backroom\.wasm$/);
  const first = countTransfers(page);
  await page.goto('/login');
  const response = await wasm;
  const headers = await response.allHeaders();
  expect(headers['content-encoding']).toMatch(/^(br|gzip)$/);
  expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
  await page.waitForLoadState('networkidle');
  console.log(`first page: wasm ${first.wasm} B, js ${first.js} B, css ${first.css} B transferred`);
  expect(first.wasm).toBeGreaterThan(0);

  // The sites page brings the fleet section's module (pages::lazy); the devices page is in it.
  await logIn(page, 'viewer', '/sites');
  await page.waitForLoadState('networkidle');
  page.removeAllListeners('requestfinished');
  const second = countTransfers(page);
  await page.goto('/devices');
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(second).toEqual({ wasm: 0, js: 0, css: 0 });
});

// The target is 400 KB of wasm, js and css for a first page: the app's shell and the login page
// (the pages behind the login come in a module per section, pages::lazy).
test('a first page transfers at most 400 KB of front end', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'without JavaScript no wasm is fetched');
  const first = countTransfers(page);
  await page.goto('/login');
  await page.waitForLoadState('networkidle');
  console.log(`first page: ${first.wasm + first.js + first.css} B of front end transferred`);
  expect(first.wasm + first.js + first.css).toBeLessThanOrEqual(400_000);
});

// A page behind the login fetches its section's modules, each once: a preload link that the
// loader did not reuse would fetch one twice.
test('a section page fetches its modules once each', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'without JavaScript no wasm is fetched');
  await logIn(page, 'viewer', '/account');
  await page.waitForLoadState('networkidle');
  const fetched: string[] = [];
  page.on('requestfinished', (request) => {
    const file = request.url().match(/\/pkg\/[0-9a-f]{16}\/([^/]+\.wasm)$/)?.[1];
    if (file) fetched.push(file);
  });
  await page.goto('/devices');
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const modules = fetched.filter((f) => f !== 'backroom.wasm');
  expect(modules.some((f) => f.startsWith('split_fleet_section'))).toBe(true);
  expect(new Set(modules).size).toBe(modules.length);
});

test('pages are compressed and never stored', async ({ request }) => {
  const page = await request.get('/login', { headers: { 'accept-encoding': 'gzip' } });
  expect(page.headers()['content-encoding']).toBe('gzip');
  expect(page.headers()['cache-control']).toBe('no-store');
  const plain = await request.get('/login', { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
});

