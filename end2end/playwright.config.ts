// Playwright for Backroom: Debian's Chromium, one worker, every spec with JavaScript on and off.
import { defineConfig } from '@playwright/test';

const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  // Specs that change data run after the read-only ones, whose counts they would otherwise shift.
  projects: [
    { name: 'js', use: { javaScriptEnabled: true }, testIgnore: /_edit\.spec/ },
    { name: 'no-js', use: { javaScriptEnabled: false }, testIgnore: /_edit\.spec/ },
    { name: 'js-edit', use: { javaScriptEnabled: true }, testMatch: /_edit\.spec/, dependencies: ['js', 'no-js'] },
    {
      name: 'no-js-edit',
      use: { javaScriptEnabled: false },
      testMatch: /_edit\.spec/,
      dependencies: ['js-edit'],
    },
  ],
});
