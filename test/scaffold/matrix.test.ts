/**
 * The scaffold matrix, generated from the options registry: every valid runtime × database ×
 * template is scaffolded (--no-install), compiled and migrated by the scaffolder, and type-checked
 * with its own tsconfig against the repository's node_modules (all of them once scaffolded, in one
 * TypeScript program per set of compiler options: test/helpers/typecheck-apps.ts). One project per
 * server runtime is booted on 127.0.0.1 and answers /health and a sign-up (Cloudflare's under
 * wrangler dev: test/e2e).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { combinations } from '../../src/cli/create/options.js';
import { hasBun, startServer } from '../helpers/server.js';
import { typecheckApps } from '../helpers/typecheck-apps.js';
import { runCreate, scaffoldDir } from './run-create.js';

const matrix = combinations().map((c) => [`${c.runtime} + ${c.database} + ${c.template}`, c] as const);

describe('scaffold matrix', () => {
  const booted = new Set<string>();
  /** Each combination's app root, once scaffolded. */
  const apps = new Map<string, string>();
  it.each(matrix)('%s', async (label, c) => {
    const cwd = scaffoldDir(`${c.runtime}-${c.template}`);
    const { code, stdout, stderr } = await runCreate([
      'app',
      '--yes',
      '--no-install',
      '--no-git',
      '--runtime',
      c.runtime,
      '--database',
      c.database,
      '--template',
      c.template,
      '--json',
    ], cwd);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    // On Cloudflare the local D1 migration needs the app's wrangler, so it follows the install (test/e2e/wrangler.test.ts).
    const workers = c.runtime === 'cloudflare';
    // neon/supabase: the user points DATABASE_URL at a server and runs db:migrate (test/rls/migrations.test.ts).
    const postgres = c.database === 'neon' || c.database === 'supabase';
    expect(result).toMatchObject({
      ok: true,
      steps: workers || postgres ? ['write', 'compile'] : ['write', 'compile', 'migrate'],
      options: { runtime: c.runtime, database: c.database, template: c.template },
    });
    const root = path.join(cwd, 'app');
    if (!workers && !postgres)
      expect(existsSync(path.join(root, 'data', c.template === 'empty' ? 'auth.db' : 'features.db'))).toBe(true);
    if (postgres)
      expect(readFileSync(path.join(root, workers ? '.dev.vars' : '.env'), 'utf8')).toMatch(
        /^DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:5432\/app$/m,
      );
    apps.set(label, root);
    if (workers) {
      if (postgres) return; // served under workerd by test/conformance/workers-postgres.test.ts
      expect(readFileSync(path.join(root, '.dev.vars'), 'utf8')).toMatch(/^BETTER_AUTH_SECRET=[0-9a-f]{64}$/m);
      return; // booted under wrangler dev by test/e2e/wrangler.test.ts
    }
    if (postgres || booted.has(c.runtime) || c.template !== 'saas' || (c.runtime === 'bun' && !hasBun())) return;
    booted.add(c.runtime);
    const env = readFileSync(path.join(root, '.env'), 'utf8');
    expect(env).toMatch(/^BETTER_AUTH_SECRET=[0-9a-f]{64}$/m);
    const server = await startServer(root, c.runtime as 'node' | 'bun', true);
    try {
      const signUp = await fetch(`${server.baseURL}/auth/v1/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.baseURL },
        body: JSON.stringify({ email: 'first@example.com', password: 'correct-horse-battery', name: 'First' }),
      });
      expect(signUp.status).toBe(200);
      expect((await fetch(`${server.baseURL}/api/v1/projects`)).status).toBe(401);
    } finally {
      await server.stop();
    }
  }, 120_000);

  describe('type-checks with its own tsconfig', () => {
    let diagnostics: Map<string, string>;
    beforeAll(() => {
      diagnostics = typecheckApps([...apps.values()]);
    }, 600_000);
    it.each(matrix)('%s', (label) => {
      expect(apps.has(label), 'scaffolded').toBe(true);
      expect(diagnostics.get(apps.get(label)!)).toBe('');
    });
  });
});
