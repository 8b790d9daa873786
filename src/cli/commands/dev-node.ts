/**
 * @module cli/commands/dev-node
 * `quickback dev`'s server on Node (issue #30 part 8): plain `node --enable-source-maps` on an
 * esbuild bundle of src/server.ts (dev-bundle.ts) instead of `tsx watch`, whose loader hooks made
 * each restart cost ~2 s on a 100-feature app. After a compile: the bundle is rebuilt while the
 * migration runs, then, once both are done and only if the bundle's bytes changed, the old server
 * is stopped (SIGTERM; it closes gracefully) and a new one started. The owner's own edits to the
 * bundle's inputs (any file under src/ the server imports that the compiler did not just write)
 * reload it too, as tsx watch did. A build error is printed as a diagnostic and the old server
 * keeps serving; a server that exits on its own is started again on the next change. A deleted
 * seam or handler waits for the compile that writes it back, not for a build that cannot resolve
 * it. A restart runs the new bundle in a standby `node` that has loaded the app's packages already
 * (dev-standby.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { color, err, out, printDiagnostics } from '../output.js';
import { BUNDLE_ENTRY, devBundle, type DevBundle } from './dev-bundle.js';
import { standby } from './dev-standby.js';

export interface NodeDevServer {
  /** After a successful compile: `written` (absolute paths) and the migration it must wait for. */
  compiled(written: readonly string[], migrated: Promise<unknown>): void;
  close(): Promise<void>;
}

export const nodeServerArgs = ['--enable-source-maps', BUNDLE_ENTRY];

/**
 * How long the old server gets to close on SIGTERM before a restart kills it. Its `server.close()`
 * can wait for a keep-alive connection's 5 s timeout, which is most of a save in dev.
 */
const STOP_GRACE_MS = 1000;

const digest = (file: string): string | null => {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
};

export interface NodeDevOptions {
  /** The app (output folder) and the project. */
  cwd: string;
  root: string;
  env: Record<string, string>;
  /** The first migration: the server starts after it. */
  migrated: Promise<unknown>;
  /** Called once, right before the first start. */
  announce(): void;
  /**
   * Files the compile that their deletion starts writes back (absolute; kept current by dev.ts):
   * the seam quickback/app.ts, action handlers. Their deletion waits for that compile's rebuild.
   */
  writtenBack: ReadonlySet<string>;
}

/** Builds the bundle now and starts the server once `migrated` settles. */
export async function startNodeDev(options: NodeDevOptions): Promise<NodeDevServer> {
  const { cwd, root, env, migrated, announce, writtenBack } = options;
  const bundle: DevBundle = await devBundle(cwd, root);
  let child: ChildProcess | undefined;
  let closing = false;
  let queue: Promise<unknown> = Promise.resolve();
  let building: Promise<unknown> = Promise.resolve();
  /** What the compiler last wrote (content hash): their change events are the compiler's, not the owner's. */
  const compilerWrote = new Map<string, string | null>();
  const killChild = () => {
    child?.kill('SIGTERM');
    warm.close();
  };
  process.on('exit', killChild);

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const force = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
    await gone;
    clearTimeout(force);
  }

  let announced = false;
  const childEnv = { ...process.env, ...env };
  const warm = standby(cwd, childEnv, nodeServerArgs.slice(0, -1));
  function spawnServer(packages: readonly string[]): void {
    if (!announced) announce();
    announced = true;
    bundle.prune();
    const started = warm.take() ?? spawn(process.execPath, nodeServerArgs, { cwd, env: childEnv, stdio: 'inherit' });
    warm.prepare(packages);
    child = started;
    started.once('exit', (code, signal) => {
      if (child !== started || closing) return;
      child = undefined;
      err(color.red(`The dev server exited with ${code ?? signal}: it starts again on the next save.`));
    });
  }

  let watcher: FSWatcher | undefined;
  let watched = new Set<string>();
  let pending: NodeJS.Timeout | undefined;
  function watchInputs(inputs: string[]): void {
    const next = new Set(inputs);
    const added = inputs.filter((file) => !watched.has(file));
    const removed = [...watched].filter((file) => !next.has(file));
    watched = next;
    if (!watcher) {
      watcher = watch(added, { ignoreInitial: true });
      watcher.on('change', onOwnerEdit).on('unlink', onOwnerDelete);
      return;
    }
    if (added.length > 0) watcher.add(added);
    if (removed.length > 0) watcher.unwatch(removed);
  }
  function onOwnerDelete(file: string): void {
    watched.delete(file); // watched again by the next build that reaches it (chokidar drops it)
    // A rebuild now could not resolve it: compiled() rebuilds once the compiler has written it back.
    if (!writtenBack.has(file)) onOwnerEdit(file);
  }
  function onOwnerEdit(file: string): void {
    if (compilerWrote.has(file) && compilerWrote.get(file) === digest(file)) return;
    clearTimeout(pending);
    pending = setTimeout(() => reload(Promise.resolve()), 100);
  }

  /** Rebuilds now (builds run one at a time); restarts after `migrated` if the bundle changed. */
  function reload(migrated: Promise<unknown>): void {
    const built = building.then(() => bundle.build());
    building = built.catch(() => undefined);
    queue = queue.then(async () => {
      const [outcome] = await Promise.all([built, migrated.catch(() => undefined)]);
      if (closing) return;
      if (!outcome.ok) {
        printDiagnostics(outcome.diagnostics, root);
        // A fix in a file the last good build did not reach must be noticed too.
        watchInputs([...watched, ...outcome.diagnostics.flatMap((d) => (d.file ? [path.resolve(root, d.file)] : []))]);
        err(
          color.yellow(
            child
              ? 'The dev server keeps running the last good build: fix the problem above and save.'
              : 'The dev server starts once the app builds: fix the problem above and save.',
          ),
        );
        return;
      }
      watchInputs(outcome.inputs);
      if (!outcome.changed && child) return;
      if (child) out(color.dim(`Restarting the dev server (bundle rebuilt in ${outcome.ms.toFixed(0)} ms)`));
      await stop();
      if (!closing) spawnServer(outcome.packages);
    }).catch((thrown: unknown) => err(color.red(`The dev server could not be rebuilt: ${(thrown as Error).message}`)));
  }

  reload(migrated);
  return {
    compiled(written, migrated) {
      for (const file of written) compilerWrote.set(file, digest(file));
      reload(migrated);
    },
    async close() {
      closing = true;
      clearTimeout(pending);
      await watcher?.close();
      await queue;
      warm.close();
      await stop();
      await bundle.dispose();
      process.off('exit', killChild);
    },
  };
}
