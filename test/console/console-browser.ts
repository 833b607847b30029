/// <reference lib="dom" /> -- code passed to page.evaluate and addInitScript runs in the browser
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort, killHard, startService } from '../support/service-process';

/** Debian's Chromium (test/console/install-browser.sh installs it; CHROMIUM_PATH overrides). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine with no outside network: without the background
 * networking ones it keeps trying to reach Google's hosts.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The built service on its own data directory and a headless browser pointed at its console. */
export interface ConsoleUnderTest {
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly browser: Browser;
  /** Script errors and failed requests of every page opened so far; a story expects none. */
  readonly pageErrors: string[];
  /** A fresh browser context (its own session storage), sized like a desk screen. */
  newPage(options?: { lang?: 'zh' | 'en' }): Promise<Page>;
  close(): Promise<void>;
}

export async function startConsole(): Promise<ConsoleUnderTest> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run test/console/install-browser.sh (or sudo apt-get install -y chromium fonts-noto-cjk)`,
    );
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'archive-console-'));
  const port = await freePort();
  let service: ChildProcess | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  try {
    service = await startService(dataDir, port);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    if (service) await killHard(service);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const started = browser;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    dataDir,
    browser: started,
    pageErrors,
    async newPage(options = {}) {
      const context = await started.newContext({ viewport: { width: 1280, height: 860 }, baseURL: baseUrl });
      contexts.push(context);
      if (options.lang) {
        await context.addInitScript(
          (lang) => localStorage.setItem('archive-ledger.lang', lang),
          options.lang,
        );
      }
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        // A page blocked by its Content-Security-Policy says so only on the console.
        if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
          pageErrors.push(`${page.url()}: ${message.text()}`);
      });
      return page;
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await started.close();
      if (service) await killHard(service);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sign in through the development sign-in as one of the demo users (src/console/sign-in/demo-users.ts). */
export async function signInAs(page: Page, user: string): Promise<void> {
  await page.goto('/console/sign-in');
  await page.locator(`button[data-user="${user}"]`).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** Mint a token for an API call made beside the browser (to set up a story's preconditions quickly). */
export async function apiToken(baseUrl: string, user: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/dev-sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (!response.ok) throw new Error(`dev sign-in as ${user}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Where docs/console.md's screenshots are written when SCREENSHOTS=1 (npm run console:screenshots). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../docs/console');

export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
