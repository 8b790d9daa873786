/**
 * `npm run bench:encryption`: encrypted columns (seed 003) against the same table in plaintext.
 * 1. A list route (20 rows) and a get route of a feature with 5 encrypted text fields vs the same
 *    feature without `.encrypted()`, one Node server on 127.0.0.1, autocannon in its own
 *    process, alternating rounds. Goal: ≥ 0.90× req/s.
 * 2. AES-256-GCM encrypt + decrypt of 1 KB in-process (Web Crypto, bound associated data).
 * 3. DEK unwraps: the app in-process, 2 organizations × 500 requests. Goal: ≤ 1 unwrap per
 *    organization per cache lifetime (5 minutes).
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { signUp, type Caller } from '../test/helpers/client.js';
import { createOrg } from '../test/helpers/orgs.js';
import { copyFixture } from '../test/helpers/project.js';
import { startServer } from '../test/helpers/server.js';
import { appEnv, compileAndMigrate } from '../test/helpers/target.js';
import { decryptValue, encryptValue, importKek } from '../src/runtime/crypto/envelope.js';
import { DataKeys } from '../src/runtime/crypto/data-keys.js';
import { memoryStore } from '../src/runtime/crypto/data-keys.testkit.js';
import { children, CONNECTIONS, load, median, ROUNDS, SECONDS, stopAll } from './route/setup.js';

const KEK = '5a'.repeat(32);
const FIELDS = ['allergies', 'contact', 'passport', 'notes', 'address'];
const featureFile = (name: string, encrypted: boolean) => `import { feature, q } from "@quickback/compiler";
export default feature("${name}", {
  columns: { id: q.id(), organizationId: q.scope("organization"), name: q.text().required(), ${
    FIELDS.map((f) => `${f}: q.text()${encrypted ? '.encrypted()' : ''}`).join(', ')
  } },
  read: { access: { roles: ["member+"] } },
  crud: { create: { access: { roles: ["member+"] } }, update: { access: { roles: ["member+"] } }, delete: { access: { roles: ["member+"] } } },
});
`;

async function seed(caller: Caller, feature: string, n: number): Promise<string> {
  const records = Array.from({ length: n }, (_, i) => ({
    name: `Guest ${i}`,
    ...Object.fromEntries(FIELDS.map((f) => [f, `${f} of guest ${i}: ${'x'.repeat(40)}`])),
  }));
  const res = await caller.api('POST', `/api/v1/${feature}/batch`, { records });
  if (res.status !== 201)
    throw new Error(`seeding ${feature}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body.success[0].id;
}

async function routes(root: string) {
  const server = await startServer(root, 'node', true, { env: { ENCRYPTION_KEK: KEK } });
  children.push(server.child);
  const owner = await signUp(fetch, server.baseURL, 'Owner');
  await createOrg(owner, 'Bench');
  const ids = { sealed: await seed(owner, 'sealed', 100), plain: await seed(owner, 'plain', 100) };
  const cookie = [...owner.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const list = { sealed: '/api/v1/sealed?limit=20', plain: '/api/v1/plain?limit=20' };
  const check = await Promise.all([owner.api('GET', list.sealed), owner.api('GET', list.plain)]);
  const plaintext = (rows: Record<string, string>[]) =>
    rows.length === 20
    && rows.every((row) => FIELDS.every((f) => row[f] === `${f} of guest ${row.name.slice(6)}: ${'x'.repeat(40)}`));
  if (!plaintext(check[0].body.data) || !plaintext(check[1].body.data))
    throw new Error('a route does not answer the plaintext');
  console.log(
    `routes: 5 encrypted text fields vs plaintext, 100 rows each, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS}s (after a 2s warm-up)`,
  );
  const rows: string[] = [];
  for (
    const [name, paths] of [
      ['list', list],
      ['get', { sealed: `/api/v1/sealed/${ids.sealed}`, plain: `/api/v1/plain/${ids.plain}` }],
    ] as const
  ) {
    const rps = { sealed: [] as number[], plain: [] as number[] };
    for (const kind of ['sealed', 'plain'] as const) load(server.baseURL + paths[kind], cookie, 2);
    for (let round = 0; round < ROUNDS; round++) {
      const order: ('sealed' | 'plain')[] = round % 2 === 0 ? ['sealed', 'plain'] : ['plain', 'sealed'];
      for (const kind of order) {
        const r = load(server.baseURL + paths[kind], cookie, SECONDS);
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`${kind} ${name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
        rps[kind].push(r.rps);
        console.log(
          `  ${name.padEnd(4)} round ${round + 1} ${kind.padEnd(9)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${
            String(r.p99).padStart(3)
          } ms`,
        );
      }
    }
    const ratio = median(rps.sealed) / median(rps.plain);
    rows.push(
      `${name.padEnd(6)} ${median(rps.sealed).toFixed(0).padStart(15)} ${median(rps.plain).toFixed(0).padStart(15)}  ${
        ratio.toFixed(3)
      }×  ${ratio >= 0.9 ? 'met' : 'MISSED'} (≥ 0.90×)`,
    );
  }
  console.log('\nroute  encrypted req/s  plaintext req/s  ratio  goal');
  for (const row of rows) console.log(row);
}

async function inProcessCrypto() {
  const keys = new DataKeys(memoryStore(), [await importKek(KEK)]);
  const dek = await keys.forWrite('org_bench');
  const value = 'x'.repeat(1024);
  const field = { orgId: 'org_bench', table: 'guests', column: 'notes', rowId: 'gst_1' };
  for (let i = 0; i < 2000; i++) await decryptValue(dek, await encryptValue(dek, value, field), field);
  const n = 20_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) await decryptValue(dek, await encryptValue(dek, value, field), field);
  const ms = performance.now() - start;
  console.log(
    `\nAES-256-GCM, 1 KB value, encrypt + decrypt in-process: ${(n / (ms / 1000)).toFixed(0)} round trips/s (${
      ((ms * 1000) / n).toFixed(1)
    } µs each, ${n} runs)`,
  );
}

async function unwraps(root: string) {
  const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
  const { dataKeyStats } = await import(pathToFileURL(path.join(root, 'src', 'lib', 'quickback', 'data-keys.ts')).href);
  const app = createApp({ ...appEnv(root, 'http://127.0.0.1:3000'), ENCRYPTION_KEK: KEK });
  const fetchApp = (request: Request) => app.request(request);
  const before = dataKeyStats.unwraps;
  for (const name of ['One', 'Two']) {
    const owner = await signUp(fetchApp, 'http://127.0.0.1:3000', `Unwrap${name}`);
    await createOrg(owner, `Org${name}`);
    await seed(owner, 'sealed', 20);
    for (let i = 0; i < 500; i++)
      if ((await owner.api('GET', '/api/v1/sealed?limit=20')).status !== 200) throw new Error('list failed');
  }
  const count = dataKeyStats.unwraps - before;
  console.log(
    `DEK unwraps: ${count} for 2 organizations × (20 encrypted writes + 500 lists of 20 rows) in one process: ${
      count <= 2 ? 'met' : 'MISSED'
    } (≤ 1 per organization per cache lifetime)`,
  );
}

async function main() {
  const root = copyFixture('vault', 'bench-encryption', {
    files: {
      'quickback/features/sealed/sealed.ts': featureFile('sealed', true),
      'quickback/features/plain/plain.ts': featureFile('plain', false),
    },
  });
  await compileAndMigrate(root, 'better-sqlite3');
  console.log('bench:encryption — field-level envelope encryption (seed 003), Node server on 127.0.0.1');
  await routes(root);
  await inProcessCrypto();
  await unwraps(root);
}

main().then(stopAll, (err) => {
  console.error(err);
  stopAll();
  process.exitCode = 1;
});
