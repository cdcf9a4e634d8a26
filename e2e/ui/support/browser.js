// Debian's Chromium in headless mode, driven by playwright-core; screenshots for every test.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser context (no cookies) at laptop size. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
  return context.newPage();
}

export async function signIn(page, keel) {
  await page.goto(`${keel.baseUrl}/ui/login`);
  await page.fill('#key', keel.masterKey);
  await Promise.all([page.waitForURL(`${keel.baseUrl}/ui`), page.click('button[type=submit]')]);
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
