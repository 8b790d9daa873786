/**
 * @module cli/commands/migrate
 * `quickback migrate [--cwd DIR] [--json]`: applies pending migrations to the local SQLite
 * database(s) with Drizzle's own migrator (the same one `npm run db:migrate` uses). Idempotent.
 * On Cloudflare, wrangler's local D1 (`wrangler d1 migrations apply --local`, migrate-d1.ts).
 * Which databases, and where: compiler/migrate/targets.ts (shared with `quickback dev`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../compiler/index.js';
import { applyMigrations } from '../../compiler/migrate/apply.js';
import { migrationTargets } from '../../compiler/migrate/targets.js';
import { maskedUrl } from '../../runtime/data/postgres/pg-connect.js';
import { lintRls } from '../../compiler/rls/lint.js';
import { QuickbackError } from '../../shared/errors.js';
import { commonFlags, parseFlags } from '../args.js';
import { migrateD1 } from './migrate-d1.js';
import { color, out, printJson } from '../output.js';
import type { CommandContext } from '../context.js';

export const migrateHelp = `quickback migrate [--cwd DIR] [--json]

Applies pending migrations (quickback/drizzle/*) to the local SQLite database(s).
Database locations come from DATABASE_URL / AUTH_DATABASE_URL (environment or .env),
defaulting to ./data/features.db and ./data/auth.db in the app folder.
On neon/supabase it applies the schema and RLS layer to DATABASE_URL (required).
On Cloudflare it runs \`wrangler d1 migrations apply <db> --local\` for each D1 database.`;

/** neon/supabase: one journal (schema, then the RLS layer) applied to DATABASE_URL as its role, which then owns the schema. */
async function migratePostgres(root: string, url: string | undefined, json: boolean): Promise<number> {
  if (!url) {
    throw new QuickbackError('QB_MIGRATE_NO_DATABASE_URL', 'DATABASE_URL is not set', {
      hint: 'Put your PostgreSQL URL in .env (DATABASE_URL=postgres://user@host:5432/db); any server works locally.',
    });
  }
  const migrationsFolder = path.join(root, 'quickback', 'drizzle', 'features');
  const { applied } = await applyMigrations({ driver: 'node-postgres', url, migrationsFolder });
  const findings = await lintDatabase(url);
  const shown = maskedUrl(url);
  if (json)
    printJson({
      ok: true,
      command: 'migrate',
      results: [{ database: 'features', url: shown, applied }],
      lint: findings,
    });
  else {
    out(
      `${color.green('✔')} ${applied} migration${applied === 1 ? '' : 's'} applied, schema and RLS ${
        color.dim(`(${shown})`)
      }`,
    );
    for (const f of findings)
      out(`${color.yellow('!')} RLS lint ${f.rule}${f.table ? ` (${f.table})` : ''}: ${f.detail}`);
    if (findings.length === 0)
      out(`${color.green('✔')} RLS lint: every table forced, every policy once per query, every policy column indexed`);
  }
  return 0;
}

async function lintDatabase(url: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await lintRls(async (sql, params) => (await client.query(sql, params)).rows);
  } finally {
    await client.end();
  }
}

export async function runMigrate(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags(argv, commonFlags);
  if (values.help) return ctx.help(migrateHelp);
  const { project, model } = await analyze(ctx.cwd(values.cwd));
  const targets = migrationTargets(project.root, model);
  if (model.database.dialect === 'postgresql')
    return migratePostgres(project.root, targets[0].url, values.json === true);
  if (model.cloudflare)
    return migrateD1(path.resolve(project.root, model.build.outputDir), model.cloudflare, values.json === true);
  const results: { database: string; url: string; applied: number }[] = [];
  for (const target of targets) {
    if (!existsSync(path.join(target.migrationsFolder, 'meta', '_journal.json'))) {
      throw new QuickbackError('QB_MIGRATE_NOTHING_TO_APPLY', `No migrations in quickback/drizzle/${target.database}`, {
        hint: 'Run `quickback compile` first.',
      });
    }
    const url = target.url!;
    const { applied } = await applyMigrations({
      driver: target.driver as 'better-sqlite3' | 'libsql',
      url,
      migrationsFolder: target.migrationsFolder,
    });
    results.push({ database: target.database, url, applied });
  }
  if (values.json) printJson({ ok: true, command: 'migrate', results });
  else
    for (const r of results)
      out(
        `${color.green('✔')} ${r.database}: ${r.applied} migration${r.applied === 1 ? '' : 's'} applied ${
          color.dim(`(${r.url})`)
        }`,
      );
  return 0;
}
