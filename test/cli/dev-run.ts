/**
 * `quickback dev` in a child process (the real bin) for the dev-migrate suites: its log, waiting
 * for a line or a probe, and Ctrl-C. The project's features are edited the way a user saves them.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/project.js';

export interface DevProcess {
  log(): string;
  /** Resolves with the probe's value once it is not undefined (errors count as not yet); throws with the log after `ms`. */
  until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms?: number): Promise<T>;
  /** Ctrl-C; resolves with the exit code (null: it had to be killed after 20 s). */
  stop(): Promise<number | null>;
}

export function startDev(root: string, port: number, env: Record<string, string>, args: string[] = []): DevProcess {
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'quickback.js'), 'dev', '--cwd', root, '--port', String(port), ...args], {
    env: { ...process.env, ...env, NO_COLOR: '1', CI: 'true', WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    log: () => log,
    async until(what, probe, ms = 90_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) break;
        const value = await Promise.resolve().then(probe).catch(() => undefined);
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${what} did not happen:\n${log}`);
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGINT');
      // A dev that ignores Ctrl-C fails the test (exit code null) instead of hanging it.
      const stuck = setTimeout(() => child.kill('SIGKILL'), 20_000);
      return exited.finally(() => clearTimeout(stuck));
    },
  };
}

/** Saves a feature file with `from` replaced by `to` (the edit a user makes while dev runs). */
export function edit(root: string, file: string, from: string, to: string): void {
  const full = path.join(root, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: "${from}" not found`);
  writeFileSync(full, text.replace(from, to));
}

export const NOTES = 'quickback/features/notes/notes.ts';
export const ADD_TITLE: [string, string] = ['    body: q.text().required(),', '    body: q.text().required(),\n    title: q.text().optional(),'];
