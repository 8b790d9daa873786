/**
 * `quickback dev` on Node runs an esbuild bundle of src/server.ts with `node` (issue #30 part 8),
 * through the real bin in a child process and real HTTP: an owner's own edit to a file the server
 * imports (an action handler, not written by the compiler) that does not build is printed as a
 * diagnostic with its file:line:col while the old server keeps serving; the next good save
 * restarts the server once, in the standby node that has loaded the packages; Ctrl-C stops both.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { freePort } from '../helpers/server.js';
import { appEnv, compileAndMigrate } from '../helpers/target.js';
import { startDev } from './dev-run.js';

const HANDLER = 'quickback/features/tickets/handlers/open-count.ts';
/** Command lines naming the project: dev itself, the standby node (and the server it became). */
const processesIn = (root: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((args) => args.includes(root));
const listening = (log: string) => log.match(/Quickback API listening on/g)?.length ?? 0;

describe('quickback dev on Node: the bundled server', () => {
  it(
    "keeps serving through a build error in the owner's code, shows it as file:line:col, and restarts on the fix",
    async () => {
      const root = copyFixture('helpdesk', 'dev-node');
      try {
        await compileAndMigrate(root, 'better-sqlite3');
        const port = await freePort();
        const baseURL = `http://127.0.0.1:${port}`;
        const dev = startDev(root, port, appEnv(root, baseURL));
        const health = async () => ((await fetch(`${baseURL}/health`)).ok ? true : undefined);
        try {
          await dev.until('GET /health', health);
          expect(dev.log()).toContain('node --enable-source-maps node_modules/.cache/quickback-dev/server.mjs');
          expect(listening(dev.log())).toBe(1);

          const file = path.join(root, HANDLER);
          const original = readFileSync(file, 'utf8');
          const lines = original.split('\n');
          const at = lines.findIndex((line) => line.includes('return { open };'));
          writeFileSync(file, [...lines.slice(0, at), '  return { open: };', ...lines.slice(at + 1)].join('\n'));
          await dev.until('the build error', () => (dev.log().includes('QB_DEV_BUILD_FAILED') ? true : undefined));
          expect(dev.log()).toContain(`${HANDLER}:${at + 1}:18`);
          expect(dev.log()).toContain('The dev server keeps running the last good build');
          expect(dev.log().match(/QB_DEV_BUILD_FAILED/g)).toHaveLength(1);
          expect(await health()).toBe(true);
          expect(listening(dev.log())).toBe(1);

          // The restart after the fix goes to the standby node (packages loaded ahead), once it is there.
          await dev.until(
            'the standby node',
            () => (processesIn(root).some((args) => args.includes('standby.mjs')) ? true : undefined),
          );
          writeFileSync(file, original.replace('return { open };', 'return { open: Number(open) };'));
          await dev.until('the restart after the fix', () => (listening(dev.log()) === 2 ? true : undefined));
          expect(dev.log()).toMatch(/Restarting the dev server \(bundle rebuilt in \d+ ms\)/);
          expect(await health()).toBe(true);
        } finally {
          expect(await dev.stop()).toBe(0);
        }
        expect(await fetch(`${baseURL}/health`).then(() => 'up', () => 'down')).toBe('down');
        expect(listening(dev.log())).toBe(2);
        // Neither the server nor a standby outlives dev.
        for (let tries = 0; processesIn(root).length > 0 && tries < 50; tries++)
          await new Promise((r) => setTimeout(r, 200));
        expect(processesIn(root)).toEqual([]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
