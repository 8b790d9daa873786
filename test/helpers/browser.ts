/**
 * Headless Chromium for the browser tests, through playwright-core: the executable chosen by
 * test/setup/browser.ts (system Chromium, or the one inside @sparticuz/chromium). The flags are
 * ours, not the package's Lambda defaults (which turn web security off, and with it CORS):
 * headless, no sandbox (root in CI), and none of Chromium's background connections, which this
 * machine's closed network refuses.
 */
import { chromium, type Browser } from 'playwright-core';
import { requires } from './requires.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether a browser suite can run here (under CI a missing browser fails the file). */
export function hasChromium(): boolean {
  return requires(
    'Chromium',
    Boolean(process.env.QB_CHROMIUM),
    process.env.QB_CHROMIUM_MISSING ?? 'test/setup/browser.ts found none (npm ci installs @sparticuz/chromium)',
  );
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.QB_CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
