/** Chromium from Debian (never a downloaded browser), driven by playwright-core. */
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { BASE_URL } from './site';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a new, empty profile (playwright makes a fresh temporary user-data-dir for each launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page in a context of its own (cookies, JavaScript on or off, colour scheme…), on the e2e server. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, ...options });
  return context.newPage();
}
