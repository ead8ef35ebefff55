// Debian's Chromium driven by playwright-core (the Playwright browser download is unavailable here).
// Playwright gives each launch a fresh temporary profile and removes it on close.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(fileURLToPath(new URL('../..', import.meta.url)), 'artifacts/screenshots');

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface Browser {
  /** A fresh context (own storage, service workers, offline switch) at a viewport. */
  context(viewport: { width: number; height: number }, phone?: boolean): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    context: (viewport, phone = false) =>
      browser.newContext({
        viewport,
        deviceScaleFactor: phone ? 2 : 1,
        isMobile: phone,
        hasTouch: phone,
        colorScheme: 'dark',
      }),
    async close() {
      await browser.close();
    },
  };
}

/** Console errors and uncaught exceptions of a page (hydration mismatches show up here). */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // A failed load is reported below with its address.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Saves a screenshot under artifacts/screenshots. The caret stays as it is: Playwright hides it by
 * styling every input inline, which React reports as a hydration mismatch on a page still hydrating.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), caret: 'initial', ...options });
}
