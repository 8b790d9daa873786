/**
 * `npm run demo [-- --once]`: copies examples/helpdesk into the git-ignored .demo/ folder,
 * compiles it, migrates its SQLite databases, serves it on 127.0.0.1 and prints what to try.
 * `--once` signs a user up through the live server and exits (a smoke test of the whole path).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printDiagnostics } from '../src/cli/output.js';
import { main } from '../src/cli/quickback.js';
import { compile } from '../src/compiler/index.js';
import { isQuickbackError } from '../src/shared/errors.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const app = path.join(repo, '.demo', 'helpdesk');
const port = Number(process.env.PORT ?? 3000);
const base = `http://127.0.0.1:${port}`;
const once = process.argv.includes('--once');

function step(text: string): void {
  process.stdout.write(`\n▸ ${text}\n`);
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the demo server did not answer on ${base}/health within ${timeoutMs} ms`);
}

async function smoke(): Promise<void> {
  const signUp = await fetch(`${base}/auth/v1/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: `demo-${Date.now()}@example.com`, password: 'demo-password-123', name: 'Demo' }),
  });
  const list = await fetch(`${base}/api/v1/tickets`);
  process.stdout.write(
    `sign-up: ${signUp.status}, anonymous GET /api/v1/tickets: ${list.status} ${await list.text()}\n`,
  );
  if (signUp.status !== 200 || list.status !== 401) throw new Error('demo smoke test failed');
}

step(`Copying examples/helpdesk to ${path.relative(repo, app)}`);
rmSync(app, { recursive: true, force: true });
cpSync(path.join(repo, 'examples', 'helpdesk'), app, { recursive: true });
writeFileSync(
  path.join(app, '.env'),
  [
    `BETTER_AUTH_SECRET=${randomBytes(32).toString('hex')}`,
    `BETTER_AUTH_URL=${base}`,
    `PORT=${port}`,
    'DATABASE_URL=file:./data/features.db',
    'AUTH_DATABASE_URL=file:./data/auth.db',
    "# A local demo: development settings (local origins trusted, Better Auth's rate limit off).",
    'QUICKBACK_DEV=1',
    '',
  ].join('\n'),
);

step('quickback compile');
// The compiler itself, not `quickback compile`: its closing "Next: npm install && npm run db:migrate
// && npm run dev" is for a project compiled by hand; this script migrates and serves it below.
try {
  const compiled = await compile({ cwd: app });
  printDiagnostics(compiled.diagnostics);
  process.stdout.write(`Compiled ${compiled.model.name}: ${compiled.written.length} files written\n`);
} catch (error) {
  if (!isQuickbackError(error)) throw error;
  printDiagnostics(error.toDiagnostics());
  process.exit(1);
}
step('quickback migrate');
if ((await main(['migrate', '--cwd', app])) !== 0) process.exit(1);

step(`Serving on ${base}`);
const tsx = path.join(repo, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
if (!existsSync(tsx)) throw new Error('tsx is not installed: run npm ci');
const server = spawn(process.execPath, ['--import', tsx, 'src/server.ts'], {
  cwd: app,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PORT: String(port) },
});
server.on('exit', (code) => process.exit(code ?? 0));
await waitForHealth(20_000);

if (once) {
  await smoke();
  server.kill('SIGTERM');
} else {
  process.stdout.write(`
The helpdesk API is live at ${base} (Ctrl-C to stop). Try:

  curl ${base}/health
  curl -i ${base}/api/v1/tickets            # 401: sign in first
  curl -c .demo/jar -H 'origin: ${base}' -H 'content-type: application/json' \\
    -d '{"email":"ada@example.com","password":"correct-horse-1","name":"Ada"}' ${base}/auth/v1/sign-up/email
  curl -b .demo/jar -c .demo/jar -H 'origin: ${base}' -H 'content-type: application/json' \\
    -d '{"name":"Acme","slug":"acme"}' ${base}/auth/v1/organization/create
  curl -b .demo/jar -H 'content-type: application/json' -d '{"title":"Printer on fire"}' ${base}/api/v1/tickets
  curl -b .demo/jar ${base}/api/v1/tickets

Generated code: ${path.relative(repo, app)}/src   Definitions: ${path.relative(repo, app)}/quickback
`);
}
