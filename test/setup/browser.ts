/**
 * vitest globalSetup: the browser tests drive Chromium through playwright-core. They use
 * QB_CHROMIUM when set, else Debian's /usr/bin/chromium when installed, else the Chromium that
 * ships inside the `@sparticuz/chromium` devDependency (brotli-compressed in the package, so
 * `npm ci` is all a fresh machine needs; unpacked once into the temp folder, here, before the test
 * processes start, so they never race on it). When none works, QB_CHROMIUM_MISSING says why and
 * the browser suites report it (test/helpers/browser.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const SYSTEM = '/usr/bin/chromium';

function runs(executable: string): boolean {
  try {
    execFileSync(executable, ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

async function packaged(): Promise<string> {
  const { default: chromium } = await import('@sparticuz/chromium');
  let executable = await chromium.executablePath();
  if (!runs(executable)) {
    rmSync(executable, { force: true }); // a copy left half-written by an interrupted run
    executable = await chromium.executablePath();
  }
  if (!runs(executable)) throw new Error(`${executable} (from @sparticuz/chromium) does not start`);
  return executable;
}

export default async function setup(): Promise<void> {
  if (process.env.QB_CHROMIUM) return;
  try {
    process.env.QB_CHROMIUM = existsSync(SYSTEM) && runs(SYSTEM) ? SYSTEM : await packaged();
  } catch (error) {
    process.env.QB_CHROMIUM_MISSING = error instanceof Error ? error.message : String(error);
  }
}
