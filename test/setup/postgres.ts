/**
 * vitest globalSetup: the PostgreSQL suites use the server at 127.0.0.1:5432 (every machine and
 * CI run one; `.ci/run` starts it) or PG_URL. When neither answers, or QB_TEST_POSTGRES=pglite
 * forces it, they run on PGlite instead: its control server (test/helpers/pglite-server.ts) runs
 * here, in vitest's main process, and QB_PGLITE_CONTROL tells the test processes where it is.
 * Each suite logs which ran (test/helpers/postgres.ts). Under CI a missing server fails the run
 * (a few tests need more than PGlite's one backend) unless QB_TEST_POSTGRES=pglite asks for PGlite.
 */
import { connect } from 'node:net';
import { PGLITE_VERSION, startPgliteControl } from '../helpers/pglite-server.js';

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Why the suites run on PGlite, or undefined when they use the server. */
async function pgliteReason(): Promise<string | undefined> {
  const forced = process.env.QB_TEST_POSTGRES;
  if (forced === 'pglite') return 'QB_TEST_POSTGRES=pglite';
  if (forced !== undefined)
    throw new Error(`QB_TEST_POSTGRES=${forced}: the only value is "pglite" (unset it to use the server)`);
  if (process.env.PG_URL || (await reachable('127.0.0.1', 5432))) return undefined;
  return 'nothing answers at 127.0.0.1:5432';
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const reason = await pgliteReason();
  if (!reason) return undefined;
  // Some tests cannot run on PGlite (one backend): under CI they may not be skipped for want of the server.
  if (process.env.CI && process.env.QB_TEST_POSTGRES !== 'pglite') {
    throw new Error(
      `[postgres] ${reason}: under CI the PostgreSQL suites need the server (start it; QB_TEST_POSTGRES=pglite chooses PGlite on purpose)`,
    );
  }
  const control = await startPgliteControl(reason);
  process.env.QB_PGLITE_CONTROL = control.address;
  console.log(
    `[postgres] ${reason}: the PostgreSQL suites run on PGlite ${PGLITE_VERSION} (embedded, one instance per test database)`,
  );
  return async () => {
    delete process.env.QB_PGLITE_CONTROL;
    await control.close();
  };
}
