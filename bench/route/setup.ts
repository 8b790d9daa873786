/**
 * What `bench:route` and `bench:auth` share: the load settings (BENCH_SECONDS, BENCH_ROUNDS,
 * BENCH_CONNECTIONS), the child processes to stop on exit, the autocannon runner (its own
 * process, bench/route/load.ts), and the helpdesk served on 127.0.0.1 with a member of an
 * organization holding 100 tickets per batch.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signUp } from '../../test/helpers/client.js';
import { addMember, createOrg } from '../../test/helpers/orgs.js';
import { copyFixture } from '../../test/helpers/project.js';
import { startServer } from '../../test/helpers/server.js';
import { compileAndMigrate } from '../../test/helpers/target.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
export const children: ChildProcess[] = [];
export const stopAll = () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
process.on('exit', stopAll);

/** autocannon against one URL; `credential` is a cookie header, or `Bearer <token>`. */
export function load(
  url: string,
  credential: string,
  seconds: number,
): { rps: number; p99: number; errors: number; non2xx: number } {
  const out = execFileSync(process.execPath, [
    '--import',
    'tsx',
    path.join(here, 'load.ts'),
    url,
    credential,
    String(seconds),
    String(CONNECTIONS),
  ], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The compiled helpdesk served by Node, a member of "Bench", and `batches` × 100 tickets. */
export async function helpdeskServer(label: string, batches: number) {
  const root = copyFixture('helpdesk', label);
  await compileAndMigrate(root, 'better-sqlite3');
  const server = await startServer(root, 'node');
  children.push(server.child);
  const owner = await signUp(fetch, server.baseURL, 'Owner');
  const member = await signUp(fetch, server.baseURL, 'Member');
  const org = await createOrg(owner, 'Bench');
  await addMember(owner, member, org, 'member');
  for (let batch = 0; batch < batches; batch++) {
    const records = Array.from({ length: 100 }, (_, i) => ({
      title: `Ticket ${batch * 100 + i}`,
      estimate: i % 13,
      customerEmail: `customer${i}@example${i % 5}.com`,
    }));
    const res = await member.api('POST', '/api/v1/tickets/batch', { records });
    if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { root, server, member, cookie: [...member.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
}
