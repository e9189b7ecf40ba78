/**
 * A headless Chromium for tests, shipped inside an npm package (`@sparticuz/chromium`,
 * driven by `puppeteer-core`), so the HTML report is checked on any machine that ran
 * `npm ci`, with no browser installed by hand.
 *
 * Where that browser cannot start (a machine without the shared libraries it links,
 * e.g. libnss3), `openBrowser` returns the reason: tests skip with it on a newcomer's
 * machine and fail under `CI=true`, where a skip would hide a check that never ran.
 */
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';

export type BrowserOrReason = { readonly browser: Browser } | { readonly reason: string };

export async function openBrowser(): Promise<BrowserOrReason> {
  try {
    const executablePath = await chromium.executablePath();
    const browser = await puppeteer.launch({ executablePath, args: chromium.args, headless: true });
    return { browser };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      reason:
        `headless Chromium from @sparticuz/chromium did not start (${why}); ` +
        'it needs the libraries a desktop Chromium needs (Debian: apt-get install libnss3 libatk-bridge2.0-0 libgbm1 libasound2)',
    };
  }
}
