/**
 * vitest globalSetup: the PostgreSQL suites use the server at 127.0.0.1:5432 (every machine and
 * CI run one; `.ci/run` starts it) or PG_URL. When neither answers, a private throw-away cluster
 * is started from the machine's PostgreSQL binaries and PG_URL points the test processes at it;
 * the output says which ran. Without binaries the PostgreSQL suites fail with the reason.
 */
import { freePort } from '../helpers/server.js';
import { postgresBin, reachable, startPrivateCluster } from '../helpers/private-postgres.js';

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.PG_URL || (await reachable('127.0.0.1', 5432))) return undefined;
  const bin = postgresBin();
  if (!bin) {
    console.log('[postgres] nothing answers at 127.0.0.1:5432 and no PostgreSQL binaries are installed: the PostgreSQL suites will fail (apt-get install postgresql)');
    return undefined;
  }
  const cluster = startPrivateCluster(bin, await freePort());
  process.env.PG_URL = cluster.url;
  console.log(`[postgres] nothing answers at 127.0.0.1:5432: started a private cluster from ${bin} at ${new URL(cluster.url).host}`);
  return () => cluster.stop();
}
