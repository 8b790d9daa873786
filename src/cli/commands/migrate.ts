/**
 * @module cli/commands/migrate
 * `quickback migrate [--cwd DIR] [--json]`: applies pending migrations to the local SQLite
 * database(s) with Drizzle's own migrator (the same one `npm run db:migrate` uses). Idempotent.
 * On Cloudflare, wrangler's local D1 (`wrangler d1 migrations apply --local`, migrate-d1.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../compiler/index.js';
import { readAppEnv } from '../../compiler/load/env.js';
import { applyMigrations } from '../../compiler/migrate/apply.js';
import { QuickbackError } from '../../shared/errors.js';
import { commonFlags, parseFlags } from '../args.js';
import { migrateD1 } from './migrate-d1.js';
import { color, out, printJson } from '../output.js';
import type { CommandContext } from '../context.js';

export const migrateHelp = `quickback migrate [--cwd DIR] [--json]

Applies pending migrations (quickback/drizzle/*) to the local SQLite database(s).
Database locations come from DATABASE_URL / AUTH_DATABASE_URL (environment or .env),
defaulting to ./data/features.db and ./data/auth.db in the app folder.
On Cloudflare it runs \`wrangler d1 migrations apply <db> --local\` for each D1 database.`;

/** `file:./data/x.db` relative to the app root → an absolute file URL; remote URLs unchanged. */
export function resolveDatabaseUrl(url: string, appRoot: string): string {
  if (/^(libsql|https?|wss?):/.test(url) || url === ':memory:') return url;
  return `file:${path.resolve(appRoot, url.replace(/^file:/, ''))}`;
}

export async function runMigrate(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags(argv, commonFlags);
  if (values.help) return ctx.help(migrateHelp);
  const { project, model } = await analyze(ctx.cwd(values.cwd));
  const appRoot = path.resolve(project.root, model.build.outputDir);
  if (model.cloudflare) return migrateD1(appRoot, model.cloudflare, values.json === true);
  const env = readAppEnv(appRoot);
  const targets = model.database.splitDatabases
    ? [{ name: 'features', url: env.DATABASE_URL ?? 'file:./data/features.db' }, { name: 'auth', url: env.AUTH_DATABASE_URL ?? 'file:./data/auth.db' }]
    : [{ name: 'features', url: env.DATABASE_URL ?? 'file:./data/features.db' }];
  const results: { database: string; url: string; applied: number }[] = [];
  for (const target of targets) {
    const migrationsFolder = path.join(project.root, 'quickback', 'drizzle', target.name);
    if (!existsSync(path.join(migrationsFolder, 'meta', '_journal.json'))) {
      throw new QuickbackError('QB_MIGRATE_NOTHING_TO_APPLY', `No migrations in quickback/drizzle/${target.name}`, { hint: 'Run `quickback compile` first.' });
    }
    const url = resolveDatabaseUrl(target.url, appRoot);
    const driver = model.database.kind === 'libsql' ? 'libsql' : 'better-sqlite3';
    const { applied } = await applyMigrations({ driver, url, migrationsFolder });
    results.push({ database: target.name, url, applied });
  }
  if (values.json) printJson({ ok: true, command: 'migrate', results });
  else for (const r of results) out(`${color.green('✔')} ${r.database}: ${r.applied} migration${r.applied === 1 ? '' : 's'} applied ${color.dim(`(${r.url})`)}`);
  return 0;
}
