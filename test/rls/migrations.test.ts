/**
 * The RLS layer in the PostgreSQL journal (seed 001): `quickback compile` appends a content-addressed
 * `<idx>_quickback_rls_<hash>.sql` only when the security config changed, and `quickback migrate`
 * applies schema and RLS in order, idempotently, then lints the database.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { runCli } from '../cli/run-cli.js';

const NEON: [string, string] = ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'];
const migrations = (root: string) =>
  readdirSync(path.join(root, 'quickback/drizzle/features')).filter((f) => f.endsWith('.sql')).sort();

describe('RLS migrations', () => {
  it(
    'appends the RLS layer once, again only when a firewall changes, and applies everything idempotently',
    async () => {
      const root = copyFixture('helpdesk', 'rls-migrations', { config: [NEON] });
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
      const first = migrations(root);
      expect(first).toEqual(['0000_init.sql', expect.stringMatching(/^0001_quickback_rls_[0-9a-f]{12}\.sql$/)]);
      const rls = readFileSync(path.join(root, 'quickback/drizzle/features', first[1]), 'utf8');
      expect(rls).toContain('DROP POLICY IF EXISTS "tickets_select" ON public."tickets"');
      expect(rls).toContain('ALTER TABLE public."tickets" FORCE ROW LEVEL SECURITY');

      // Unchanged security: nothing appended, nothing written.
      const again = await runCli(['compile', '--cwd', root]);
      expect(again.code).toBe(0);
      expect(migrations(root)).toEqual(first);

      const database = await createTestDatabase('rls_migrate');
      try {
        const env = { DATABASE_URL: database.url };
        const applied = await runCli(['migrate', '--cwd', root, '--json'], env);
        expect(applied.code, applied.stderr).toBe(0);
        expect(JSON.parse(applied.stdout)).toMatchObject({ results: [{ applied: 2 }], lint: [] });
        const policies = await query<{ n: number }>(
          database.url,
          "SELECT count(*)::int AS n FROM pg_policies WHERE tablename = 'tickets'",
        );

        // A changed firewall (notes become organization-scoped): exactly one new migration, RLS only.
        const notes = path.join(root, 'quickback/features/notes/notes.ts');
        writeFileSync(
          notes,
          readFileSync(notes, 'utf8').replace(
            'ownerId: q.scope("owner"),\n  },',
            'ownerId: q.scope("owner"),\n    organizationId: q.scope("organization"),\n  },\n  firewall: { owner: { column: "ownerId" }, organization: { column: "organizationId" } },',
          ),
        );
        expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
        const changed = migrations(root);
        expect(changed.slice(0, 2)).toEqual(first);
        expect(changed.slice(2)).toEqual([
          expect.stringMatching(/^0002_/),
          expect.stringMatching(/^0003_quickback_rls_[0-9a-f]{12}\.sql$/),
        ]);
        expect(changed[3]).not.toBe(first[1].replace('0001', '0003'));

        // An access change without a schema change: exactly one new migration, the RLS layer.
        const comments = path.join(root, 'quickback/features/comments/comments.ts');
        writeFileSync(
          comments,
          readFileSync(comments, 'utf8').replace(
            'update: { access: { roles: ["owner"] } },',
            'update: { access: { roles: ["admin+"] } },',
          ),
        );
        expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
        expect(migrations(root).slice(4)).toEqual([expect.stringMatching(/^0004_quickback_rls_[0-9a-f]{12}\.sql$/)]);
        expect(readFileSync(path.join(root, 'quickback/drizzle/features', migrations(root)[4]), 'utf8')).toMatch(
          /"ticket_comments_update"[^]*has_any_role\(ARRAY\['admin', 'owner'\]\)/,
        );

        const next = JSON.parse((await runCli(['migrate', '--cwd', root, '--json'], env)).stdout);
        expect(next).toMatchObject({ results: [{ applied: 3 }], lint: [] });
        const twice = JSON.parse((await runCli(['migrate', '--cwd', root, '--json'], env)).stdout);
        expect(twice).toMatchObject({ results: [{ applied: 0 }], lint: [] });
        // Re-running the RLS layer by hand is a no-op too (idempotent statements).
        const layer = readFileSync(path.join(root, 'quickback/drizzle/features', migrations(root)[4]), 'utf8');
        for (const statement of layer.split('--> statement-breakpoint')) await query(database.url, statement);
        expect(
          await query<{ n: number }>(
            database.url,
            "SELECT count(*)::int AS n FROM pg_policies WHERE tablename = 'tickets'",
          ),
        ).toEqual(policies);
        const notePolicy = await query<{ qual: string }>(
          database.url,
          "SELECT qual FROM pg_policies WHERE policyname = 'notes_select'",
        );
        expect(notePolicy[0].qual).toContain('get_active_org_id');
      } finally {
        await database.drop();
      }
    },
    120_000,
  );

  it('on Workers, quickback migrate (npm run db:migrate) reads DATABASE_URL from .dev.vars', async () => {
    const root = copyFixture('helpdesk', 'rls-workers', {
      config: [NEON, ['defineRuntime("node")', 'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })']],
    });
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts['db:migrate']).toBe(
      'quickback migrate',
    );
    const database = await createTestDatabase('rls_workers');
    try {
      writeFileSync(path.join(root, '.dev.vars'), `DATABASE_URL=${database.url}\n`);
      const result = await runCli(['migrate', '--cwd', root, '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ results: [{ applied: 2 }], lint: [] });
    } finally {
      await database.drop();
    }
  }, 60_000);

  it('quickback migrate on neon without DATABASE_URL: QB_MIGRATE_NO_DATABASE_URL, exit 1', async () => {
    const root = copyFixture('helpdesk', 'rls-no-url', { config: [NEON] });
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const result = await runCli(['migrate', '--cwd', root], { DATABASE_URL: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('QB_MIGRATE_NO_DATABASE_URL');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
