/**
 * @module cli/commands/dev-standby
 * A warm `node` for the Node dev server's next restart (issue #30 part 8): most of a restart is
 * Node loading the app's packages (better-auth, drizzle-orm, hono, zod: ~900 modules), which do
 * not change between saves. A standby process (standby.mjs beside the bundle) imports them ahead
 * of time, binds no port, and on the word "go" imports the freshly built server.mjs, which then
 * finds its packages loaded. It is started a while after each server start, when the machine is
 * quiet again; a restart with no standby ready starts `node` on the bundle as usual.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUNDLE_DIR } from './dev-bundle.js';

/** How long after a server start the next standby is started. */
export const STANDBY_DELAY_MS = 1000;

const SCRIPT = `// quickback dev's standby: loads the server's packages now, runs ./server.mjs when told "go".
const go = new Promise((resolve) => process.once("message", resolve));
const packages = JSON.parse(process.argv[2] ?? "[]");
void Promise.all(packages.map((name) => import(name).catch(() => undefined)));
await go;
process.disconnect();
await import("./server.mjs");
`;

export interface Standby {
  /** A ready standby told to run the server (it becomes the server), or undefined. */
  take(): ChildProcess | undefined;
  /** Starts a standby after STANDBY_DELAY_MS, preloading `packages`; replaces one not yet taken. */
  prepare(packages: readonly string[]): void;
  close(): void;
}

export function standby(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Standby {
  const script = path.join(cwd, BUNDLE_DIR, 'standby.mjs');
  let waiting: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  const kill = () => {
    clearTimeout(timer);
    waiting?.kill('SIGKILL');
    waiting = undefined;
  };
  return {
    take() {
      const ready = waiting;
      waiting = undefined;
      if (!ready || ready.exitCode !== null || ready.signalCode !== null || !ready.connected) return undefined;
      ready.send('go');
      return ready;
    },
    prepare(packages) {
      kill();
      timer = setTimeout(() => {
        writeFileSync(script, SCRIPT);
        waiting = spawn(process.execPath, [...args, script, JSON.stringify(packages)], {
          cwd,
          env,
          stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        });
        waiting.on('error', () => undefined);
      }, STANDBY_DELAY_MS);
      timer.unref();
    },
    close: kill,
  };
}
