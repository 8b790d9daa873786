/**
 * @module cli/commands/dev
 * `quickback dev [--port N] [--cwd DIR] [--no-cache] [--force]`: the generated app's `npm run dev`
 * (`npm run dev -- --port N` passes the port). Runs the
 * compile watcher and, once a compile has succeeded, the app's own dev server (an esbuild bundle
 * run by `node` on Node, dev-node.ts; `bun --watch` on Bun, `wrangler dev` on Cloudflare) from the output folder. The server reloads when the compiler
 * rewrites a file it imports, and only then: the watcher writes only changed files. Ctrl-C stops
 * both; the server exiting on its own stops the watcher with its exit code. Local databases are
 * migrated first, and after each compile that writes a migration (dev-migrate.ts).
 */
import path from 'node:path';
import type { ResultPromise } from 'execa';
import type { CompileResult } from '../../compiler/index.js';
import { watchCompile, type WatchRun } from '../../compiler/watch/index.js';
import { devServerCommand } from '../../emitters/server-common/dev.js';
import { QuickbackError } from '../../shared/errors.js';
import { commonFlags, parseFlags } from '../args.js';
import type { CommandContext } from '../context.js';
import { color, err, out } from '../output.js';
import { installHint, runtimeTool } from '../runtime-tools.js';
import { reportRun, untilSignal } from './compile-watch.js';
import { devMigrator } from './dev-migrate.js';
import { nodeServerArgs, startNodeDev, type NodeDevServer } from './dev-node.js';

export const devFlags = {
  ...commonFlags,
  'accept-data-loss': { type: 'boolean' },
  force: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  port: { type: 'string', short: 'p' },
} as const;

export const devHelp = `quickback dev [--port N] [--accept-data-loss] [--cwd DIR] [--no-cache] [--force] [--debug]

Compiles, keeps compiling on save (quickback compile --watch), and runs the app's dev server
(on Node: src/server.ts bundled by esbuild and run by node, rebuilt and restarted when a file
it imports changes, in a standby node that has loaded the app's packages already; bun --watch
src/server.ts on Bun; wrangler dev on Cloudflare). Ctrl-C stops both.

Local databases are migrated at start and after each new migration (a compile's or a generator's), before
the server (re)loads: SQLite files, wrangler's local D1 (--local), and PostgreSQL when
DATABASE_URL is on this machine (127.0.0.1, localhost, a socket). Each applied migration is
printed. A database elsewhere (libsql://, a remote server, remote D1) is never touched: dev
says which command applies its migrations (npm run db:migrate).

  --accept-data-loss  apply migrations that delete rows (a dropped table or column that holds
                      data). Without it dev holds such a migration back (QB_DEV_DATA_LOSS,
                      naming the table, column and row count) and keeps serving.
                      From npm: npm run dev -- --accept-data-loss

  --port N   serve on port N (PORT on Node and Bun; wrangler dev --port on Cloudflare, where
             PORT is set too). Default: PORT from .env on Node and Bun, else 3000; on
             Cloudflare wrangler.toml's [dev] port (8787). From npm: npm run dev -- --port N`;

/** `--port`: an integer from 1 to 65535. */
export function parsePort(given: unknown): number | undefined {
  if (given === undefined) return undefined;
  const port = Number(given);
  if (!/^\d+$/.test(String(given)) || port < 1 || port > 65535) {
    throw new QuickbackError(
      'QB_CLI_INVALID_FLAG',
      `--port must be a port number (1-65535), got ${JSON.stringify(given)}`,
      { hint: 'For example: npm run dev -- --port 8788' },
    );
  }
  return port;
}

/** The files a compile writes back when they are missing (absolute): the seeds it emits, every action handler. */
function writtenBackWhenDeleted({ root, plan, model }: CompileResult): string[] {
  const actions = [...model.actions, ...model.features.flatMap((feature) => feature.actions)];
  const handlers = actions.map((action) => action.handler).filter((file) => file !== '');
  return [...plan.seeds, ...handlers].map((file) => path.resolve(root, file));
}

export async function runDev(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags(argv, devFlags);
  if (values.help) return ctx.help(devHelp);
  if (values.json)
    throw new QuickbackError('QB_CLI_INVALID_FLAG', '--json is not available for quickback dev', {
      hint: 'Use quickback compile --watch --json for machine-readable runs.',
    });
  const root = ctx.cwd(values.cwd);
  const port = parsePort(values.port);
  const flags = { json: false, debug: values.debug === true };
  let server: ResultPromise | undefined;
  let nodeServer: Promise<NodeDevServer> | undefined;
  let missing: QuickbackError | undefined;
  let starting = false;
  let stopping = false;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));

  async function startServer(run: WatchRun): Promise<void> {
    const model = run.result!.model;
    const { command, args, env } = devServerCommand(model.runtime.kind, port);
    const cwd = path.resolve(root, model.build.outputDir);
    const node = model.runtime.kind === 'node';
    const shown = [
      ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
      ...(node ? ['node', ...nodeServerArgs] : [command, ...args]),
    ];
    const announce = () =>
      out(
        color.dim(`Starting the dev server: ${shown.join(' ')}${
          node
            ? ' (src/server.ts bundled by esbuild; on a change it is rebuilt and run by a standby node that has loaded its packages already)'
            : ''
        }`),
      );
    if (node) {
      // Built while the migration runs; started (and announced) once both are done.
      nodeServer = startNodeDev({ cwd, root, env, migrated: migrating, announce, writtenBack });
      nodeServer.catch(() => resolveExit(1)); // rethrown when dev stops
      return;
    }
    announce();
    const { execa } = await import('execa');
    server = execa(command, args, {
      cwd,
      env,
      preferLocal: true,
      stdio: 'inherit',
      reject: false,
      forceKillAfterDelay: 5000,
    });
    void server.then((result) => {
      // The program itself is missing (spawn ENOENT): name it and how to install it.
      if ((result as { code?: unknown }).code === 'ENOENT') {
        const { purpose } = runtimeTool(model.runtime.kind);
        missing = new QuickbackError(
          'QB_DEV_TOOL_MISSING',
          `${command} was not found in node_modules/.bin or on PATH: ${purpose}`,
          { hint: installHint(command) },
        );
      }
      resolveExit(typeof result.exitCode === 'number' ? result.exitCode : 1);
    });
  }

  const seen = new Set<string>();
  const writtenBack = new Set<string>();
  const migrator = devMigrator(values['accept-data-loss'] === true);
  // Migrations run one at a time, in compile order; the first run's before the server starts.
  let migrating = Promise.resolve();
  // Listening from the start: a Ctrl-C during the first compile lets it finish, starts no server, exits.
  const signalled = untilSignal(exited).then(() => {
    stopping = true;
  });
  const watcher = await watchCompile({
    cwd: root,
    cache: values['no-cache'] !== true,
    force: values.force === true,
    lockCommand: 'quickback dev',
    onRun(run) {
      reportRun(run, flags, seen);
      if (!run.result) return;
      const { root: projectRoot, model } = run.result;
      writtenBack.clear();
      for (const file of writtenBackWhenDeleted(run.result)) writtenBack.add(file);
      const written = starting ? run.result.written : null;
      migrating = migrating.then(() => migrator.run(projectRoot, model, written));
      if (written?.length)
        void nodeServer?.then((node) =>
          node.compiled(written.map((file) => path.resolve(projectRoot, file)), migrating)
        );
      if (!starting && !stopping) {
        starting = true;
        if (model.runtime.kind === 'node') void startServer(run);
        else void migrating.then(() => (stopping ? undefined : startServer(run)));
      }
    },
  });
  if (!starting && !stopping)
    err(color.yellow('The dev server starts after the first successful compile: fix the problems above and save.'));
  const exitedByItself = exited.then((code) => (stopping ? 0 : code));
  await signalled;
  await watcher.close();
  if (nodeServer) await (await nodeServer).close();
  if (!server) return 0;
  if (server.exitCode === null && !server.killed) server.kill('SIGTERM');
  const code = await exitedByItself;
  if (missing) throw missing;
  if (code !== 0) err(color.red(`The dev server exited with code ${code}.`));
  return code;
}
