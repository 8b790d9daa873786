/**
 * `npm run bench:auth`: the same protected routes (the helpdesk tickets list and one ticket, as a
 * member) through the bearer-token fast path and through the Better Auth session cookie, one real server on
 * 127.0.0.1, loaded alternately by autocannon from a separate process. Also counts the database
 * statements one request of each kind prepares, per database file, at the better-sqlite3 driver
 * (in-process, same compiled app). Goal: fast path ≥ 3× the session path's req/s.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appEnv } from '../test/helpers/target.js';
import { CONNECTIONS, helpdeskServer, load, median, ROUNDS, SECONDS, stopAll } from './route/setup.js';

/** Statements one request prepares, per database file (in-process, counted at the driver). */
async function statementsPerRequest(
  root: string,
  route: string,
  cookie: string,
  token: string,
): Promise<Record<string, Record<string, number>>> {
  const counts = new Map<string, number>();
  const original = Database.prototype.prepare;
  Database.prototype.prepare = function(this: Database.Database, source: string) {
    const file = path.basename(this.name);
    counts.set(file, (counts.get(file) ?? 0) + 1);
    return original.call(this, source);
  } as typeof original;
  const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
  const app = createApp(appEnv(root, 'http://127.0.0.1:3000'));
  const measure = async (headers: Record<string, string>) => {
    await app.request(route, { headers }); // warm: first-use setup is not per request
    counts.clear();
    const res = await app.request(route, { headers });
    if (res.status !== 200) throw new Error(`in-process ${JSON.stringify(headers).slice(0, 40)}: ${res.status}`);
    return { auth: counts.get('auth.db') ?? 0, features: counts.get('features.db') ?? 0 };
  };
  const result = {
    session: await measure({ cookie }),
    'fast path': await measure({ authorization: `Bearer ${token}` }),
  };
  Database.prototype.prepare = original;
  return result;
}

async function main() {
  const { root, server, member, cookie } = await helpdeskServer('bench-auth', 1);
  // A pooled keep-alive socket may have been closed by the server during a load round: retry once.
  const mint = async () => (await member.api('POST', '/api/v1/token')).body.token as string;
  const freshToken = () => mint().catch(mint);
  const first = (await member.api('GET', '/api/v1/tickets?limit=1')).body.data[0].id as string;
  const routes = { list: '/api/v1/tickets?limit=20', get: `/api/v1/tickets/${first}` };
  console.log(
    `bench:auth — the helpdesk tickets as a member (masking on), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS}s per route and path (2s warm-up each); both paths return identical bodies`,
  );
  const summary: string[] = [];
  for (const [name, route] of Object.entries(routes)) {
    const [viaSession, viaToken] = await Promise.all(
      ([{ cookie }, { authorization: `Bearer ${await freshToken()}` }] as Record<string, string>[]).map(async (
        headers,
      ) => (await fetch(server.baseURL + route, { headers })).text()),
    );
    if (viaSession !== viaToken) throw new Error(`${name}: the two paths answer differently`);
    const statements = await statementsPerRequest(root, route, cookie, await freshToken());
    const results = {
      session: { rps: [] as number[], p99: [] as number[] },
      'fast path': { rps: [] as number[], p99: [] as number[] },
    };
    load(server.baseURL + route, cookie, 2);
    load(server.baseURL + route, `Bearer ${await freshToken()}`, 2);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['session', 'fast path'] as const) : (['fast path', 'session'] as const);
      for (const label of order) {
        const r = load(server.baseURL + route, label === 'session' ? cookie : `Bearer ${await freshToken()}`, SECONDS);
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`${label}: ${r.errors} errors, ${r.non2xx} non-2xx`);
        results[label].rps.push(r.rps);
        results[label].p99.push(r.p99);
        console.log(
          `  ${name.padEnd(4)} round ${round + 1} ${label.padEnd(9)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${
            String(r.p99).padStart(3)
          } ms`,
        );
      }
    }
    for (const label of ['session', 'fast path'] as const) {
      const s = statements[label];
      summary.push(
        `${name.padEnd(5)} ${label.padEnd(10)} ${median(results[label].rps).toFixed(0).padStart(14)}  ${
          String(median(results[label].p99)).padStart(6)
        }  ${s.auth} + ${s.features}`,
      );
    }
    const ratio = median(results['fast path'].rps) / median(results.session.rps);
    summary.push(
      `${name.padEnd(5)} fast path / session: ${ratio.toFixed(2)}× req/s (goal ≥ 3×: ${ratio >= 3 ? 'met' : 'MISSED'})`,
    );
  }
  console.log('\nroute path       req/s (median)  p99 ms  statements/request (auth db + features db)');
  for (const line of summary) console.log(line);
}

main().then(stopAll, (err) => {
  console.error(err);
  stopAll();
  process.exitCode = 1;
});
