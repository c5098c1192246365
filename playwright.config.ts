import { defineConfig } from '@playwright/test';
import { E2E_PORT, E2E_TOKEN, E2E_DATA_DIR } from './e2e/env';

/**
 * The e2e suite drives the real renderer against the real main-side services: in Debian's
 * Chromium against the local web host (always), and inside Electron where its binary exists
 * (the `electron` project skips itself with a printed reason where it does not).
 */
const chromiumLaunch = {
  executablePath: process.env.PLANTER_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        baseURL: `http://127.0.0.1:${E2E_PORT}`,
        launchOptions: chromiumLaunch,
        viewport: { width: 1360, height: 880 },
      },
    },
    // The fixture replaces `page` with the Electron window; the launch options only keep Playwright from
    // looking for its own browser download before the fixture decides to skip.
    { name: 'electron', use: { viewport: { width: 1360, height: 880 }, launchOptions: chromiumLaunch } },
  ],
  webServer: {
    command: `node scripts/e2e-server.mjs`,
    url: `http://127.0.0.1:${E2E_PORT}/index.html`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PLANTER_TOKEN: E2E_TOKEN, PLANTER_E2E_DATA: E2E_DATA_DIR, PLANTER_E2E_PORT: String(E2E_PORT) },
  },
});
