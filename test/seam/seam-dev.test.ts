/**
 * @module test/seam/seam-dev
 * The owner's seam in `quickback dev` on Node (issue #32), through the real bin in a child process
 * and real HTTP on 127.0.0.1 (the harness of test/cli/dev-run.ts): a route added to
 * quickback/app.ts is served without a restart by hand; a syntax error in it is a diagnostic with
 * its file:line:col while the old server keeps serving, and one that throws when the app boots is
 * reported with its place in quickback/app.ts; each fix is served. The route survives the compile a
 * definition edit starts; a deleted seam is written back (a create) and served with no build error
 * in between, and the owner's next save of it is served too.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { freePort } from '../helpers/server.js';
import { appEnv, compileAndMigrate } from '../helpers/target.js';
import { ADD_TITLE, answer, edit, NOTES, startDev } from '../cli/dev-run.js';

const SEAM = 'quickback/app.ts';
const OPEN = 'export default function extend(app: QuickbackApp): void {\n';
const HELLO = "  app.get('/hello', (c) => c.json({ ok: true }));\n";
const listening = (log: string) => log.match(/Quickback API listening on/g)?.length ?? 0;

describe("the owner's seam in quickback dev (Node)", () => {
  it(
    'serves an added route without a manual restart, reports a broken seam, recovers, and keeps the route through a compile',
    async () => {
      const root = copyFixture('helpdesk', 'seam-dev');
      try {
        await compileAndMigrate(root, 'better-sqlite3');
        const seam = path.join(root, SEAM);
        const seed = readFileSync(seam, 'utf8');
        const port = await freePort();
        const baseURL = `http://127.0.0.1:${port}`;
        const dev = startDev(root, port, appEnv(root, baseURL));
        const hello = async (status: number) => {
          const got = await answer(`${baseURL}/hello`);
          return got.status === status ? got : undefined;
        };
        try {
          await dev.until('GET /health', async () => ((await fetch(`${baseURL}/health`)).ok ? true : undefined));
          expect((await answer(`${baseURL}/hello`)).status).toBe(404);

          // The owner adds a route: served after the bundle rebuild, no restart by hand.
          const withHello = seed.replace(OPEN, OPEN + HELLO);
          writeFileSync(seam, withHello);
          expect((await dev.until('GET /hello', () => hello(200))).body).toEqual({ ok: true });
          expect(listening(dev.log())).toBe(2);

          // A syntax error: a diagnostic at quickback/app.ts:line:col; the last good build keeps serving.
          const line = withHello.split('\n').indexOf(HELLO.trimEnd()) + 1;
          writeFileSync(seam, withHello.replace(HELLO, "  app.get('/hello', (c) => c.json({ ok: true });\n"));
          await dev.until('the build error', () => (dev.log().includes('QB_DEV_BUILD_FAILED') ? true : undefined));
          expect(dev.log()).toMatch(new RegExp(`${SEAM}:${line}:\\d+`));
          expect(dev.log()).toContain('The dev server keeps running the last good build');
          expect((await answer(`${baseURL}/hello`)).body).toEqual({ ok: true });

          // Builds, but throws when the app boots (a method Hono does not have): the server's own
          // error names quickback/app.ts (source maps), dev says it starts again on the next save.
          writeFileSync(seam, withHello.replace("app.get('/hello'", "(app as any).gett('/hello'"));
          await dev.until(
            'the crash at boot',
            () => (/The dev server exited with 1: it starts again on the next save/.test(dev.log()) ? true : undefined),
          );
          expect(dev.log()).toMatch(/TypeError: \w+\.gett is not a function/);
          expect(dev.log()).toMatch(new RegExp(`${SEAM}:${line}:\\d+`));
          await dev.until(
            'the server down',
            async () => (await fetch(`${baseURL}/health`).then(() => undefined, () => true)),
          );

          // The fix is served.
          writeFileSync(seam, withHello);
          await dev.until('GET /hello after the fix', () => hello(200));

          // A definition edit: compiled, migrated, the server reloaded, and the owner's route still there.
          const before = listening(dev.log());
          edit(root, NOTES, ...ADD_TITLE);
          await dev.until(
            'the new migration applied',
            () => (/applied \d{4}_alter_notes/.test(dev.log()) ? true : undefined),
          );
          await dev.until('the reload after the compile', () => (listening(dev.log()) > before ? true : undefined));
          expect((await dev.until('GET /hello after the compile', () => hello(200))).body).toEqual({ ok: true });
          expect(readFileSync(seam, 'utf8')).toBe(withHello);

          // Deleted: the compile writes the seed back (a create) and the server serves it (the example
          // route, no /hello), with no build attempted in between that could not resolve it.
          rmSync(seam);
          await dev.until('the seed written back', () => (readFileSync(seam, 'utf8') === seed ? true : undefined));
          await dev.until('GET /hello gone', () => hello(404));
          expect(dev.log()).toMatch(
            /✓ run \d+ \(quickback\/app\.ts\): 1 written[^\n]*\n\s+create quickback\/app\.ts\n/,
          );
          expect((await answer(`${baseURL}/api/v1/me`)).body).toMatchObject({ code: 'AUTH_MISSING' });
          // Watched again: the owner's next save is served.
          writeFileSync(seam, withHello);
          await dev.until('GET /hello on the written-back seam', () => hello(200));
          expect(dev.log().match(/QB_DEV_BUILD_FAILED/g)).toHaveLength(1);
        } finally {
          expect(await dev.stop()).toBe(0);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
