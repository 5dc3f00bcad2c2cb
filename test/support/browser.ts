/**
 * Real Chromium for the browser tests, through playwright-core and the system's /usr/bin/chromium
 * (never a downloaded browser). Each launch gets a fresh profile directory, removed on close.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['PODIUM_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/** Every Content-Security-Policy violation Chromium reported on any test page, with its page URL. */
export const cspViolations: string[] = [];

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** A new page with the given viewport and UI language (pages share the profile's storage). */
  page(options?: PageOptions): Promise<Page>;
  close(): Promise<void>;
}

export interface PageOptions {
  width?: number;
  height?: number;
  /** The language remembered on the device (localStorage), as a user who switched it would have. */
  locale?: 'zh-CN' | 'en';
}

/**
 * Launch headless Chromium with a throwaway profile; `args` are extra command-line switches
 * (e.g. `--host-resolver-rules=MAP podium.test 127.0.0.1` to open a non-secure, non-localhost origin).
 */
export async function launchBrowser(options: { args?: string[] } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'podium-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...ARGS, ...(options.args ?? [])],
    viewport: { width: 1280, height: 800 },
  });
  return {
    async page(options = {}) {
      const viewport = { width: options.width ?? 1280, height: options.height ?? 800 };
      // The language is set before any page script runs, as if the user had switched it earlier.
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text()))
          cspViolations.push(`${page.url()}: ${message.text()}`);
      });
      await page.setViewportSize(viewport);
      if (options.locale !== undefined) {
        await page.addInitScript((locale) => localStorage.setItem('podium.locale', locale), options.locale);
      }
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Save a full-viewport screenshot as test-output/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
