/**
 * `npm run bench:route`: the generated list and get routes of the helpdesk example against a
 * hand-written Hono + Drizzle route with the same semantics (bench/route/hand-written.ts), both
 * real servers on 127.0.0.1, loaded alternately by autocannon from a separate process, as a
 * member (so masking runs). Prints req/s and p99 per round, the medians and the ratios
 * generated / hand-written. Goal: ≥ 0.90× req/s, p99 ≤ 1.15×.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/server.js';
import { appEnv } from '../test/helpers/target.js';
import { children, CONNECTIONS, helpdeskServer, load, median, ROUNDS, SECONDS, stopAll } from './route/setup.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function handWritten(root: string, generatedURL: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'route', 'hand-written.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...appEnv(root, generatedURL), ROOT: root, PORT: String(port) },
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`hand-written server exited with ${code}`)));
  });
  return `http://127.0.0.1:${port}`;
}

async function main() {
  const { root, server: generated, member, cookie } = await helpdeskServer('bench-route', 2);
  const manual = await handWritten(root, generated.baseURL);
  const first = (await member.api('GET', '/api/v1/tickets?limit=1')).body.data[0].id as string;
  const routes = { list: '/api/v1/tickets?limit=20', get: `/api/v1/tickets/${first}` };
  for (const [name, route] of Object.entries(routes)) {
    const [a, b] = await Promise.all([generated.baseURL, manual].map(async (base) => {
      const res = await fetch(base + route, { headers: { cookie } });
      return { status: res.status, body: await res.text(), etag: res.headers.get('etag') };
    }));
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw new Error(
        `${name}: the two servers disagree\ngenerated:    ${JSON.stringify(a).slice(0, 400)}\nhand-written: ${
          JSON.stringify(b).slice(0, 400)
        }`,
      );
  }
  console.log(
    `bench:route — helpdesk tickets as a member (masking on), 200 rows, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS}s (after a 2s warm-up each); both servers return identical bodies and ETags`,
  );
  const results: Record<string, Record<'generated' | 'hand-written', { rps: number[]; p99: number[] }>> = {};
  for (const [name, route] of Object.entries(routes)) {
    results[name] = { generated: { rps: [], p99: [] }, 'hand-written': { rps: [], p99: [] } };
    for (const [label, base] of [['generated', generated.baseURL], ['hand-written', manual]] as const)
      load(base + route, cookie, 2);
    for (let round = 0; round < ROUNDS; round++) {
      for (
        const [label, base] of (round % 2 === 0
          ? [['generated', generated.baseURL], ['hand-written', manual]]
          : [['hand-written', manual], ['generated', generated.baseURL]]) as [keyof (typeof results)[string], string][]
      ) {
        const r = load(base + route, cookie, SECONDS);
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`${label} ${name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
        results[name][label].rps.push(r.rps);
        results[name][label].p99.push(r.p99);
        console.log(
          `  ${name.padEnd(4)} round ${round + 1} ${label.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${
            String(r.p99).padStart(3)
          } ms`,
        );
      }
    }
  }
  console.log('\nroute  generated req/s  hand-written req/s  ratio   p99 gen  p99 hand  ratio   goal');
  for (const [name, r] of Object.entries(results)) {
    const [g, h] = [r.generated, r['hand-written']];
    const rps = median(g.rps) / median(h.rps);
    const p99 = median(g.p99) / Math.max(1, median(h.p99));
    console.log(
      `${name.padEnd(6)} ${median(g.rps).toFixed(0).padStart(15)} ${median(h.rps).toFixed(0).padStart(19)}  ${
        rps.toFixed(2)
      }×  ${String(median(g.p99)).padStart(7)}  ${String(median(h.p99)).padStart(8)}  ${p99.toFixed(2)}×  ${
        rps >= 0.9 && p99 <= 1.15 ? 'met' : 'MISSED'
      }`,
    );
  }
}

main().then(stopAll, (err) => {
  console.error(err);
  stopAll();
  process.exitCode = 1;
});
