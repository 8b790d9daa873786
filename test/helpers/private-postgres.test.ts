/** The fallback cluster itself: started from the machine's binaries on a free port, queried, stopped. */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresBin, reachable, startPrivateCluster } from './private-postgres.js';
import { freePort } from './server.js';

const bin = postgresBin();

describe('private PostgreSQL cluster (the fallback when 127.0.0.1:5432 does not answer)', () => {
  it.skipIf(!bin)('starts, answers queries as the superuser postgres, and is gone after stop', async () => {
    const port = await freePort();
    const cluster = startPrivateCluster(bin!, port);
    try {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query("SELECT current_setting('server_version') AS v, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super");
      expect(rows[0]).toMatchObject({ super: true });
      await client.end();
    } finally {
      cluster.stop();
    }
    expect(await reachable('127.0.0.1', port)).toBe(false);
  }, 60_000);
});
