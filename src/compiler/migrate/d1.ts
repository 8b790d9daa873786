/**
 * @module compiler/migrate/d1
 * Applies the journaled migrations to wrangler's local D1 state with wrangler itself
 * (`wrangler d1 migrations apply <db> --local`, the app's installed wrangler), once per migrated
 * D1 database of wrangler.toml, so the local state is exactly what `wrangler dev` reads.
 */
import type { CloudflareModel, D1Binding } from '../model/cloudflare.js';
import { QuickbackError } from '../../shared/errors.js';

export interface D1MigrateResult {
  database: string;
  binding: string;
}

/** One D1 database of wrangler.toml: `wrangler d1 migrations apply <name> --local` from the app folder. */
export async function applyD1Local(appRoot: string, d: D1Binding): Promise<void> {
  const { execa } = await import('execa');
  const run = await execa('wrangler', ['d1', 'migrations', 'apply', d.databaseName, '--local'], {
    cwd: appRoot,
    preferLocal: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });
  if (run.exitCode !== 0) {
    const missing = (run as { code?: string }).code === 'ENOENT';
    throw new QuickbackError(
      'QB_MIGRATE_APPLY_FAILED',
      `wrangler d1 migrations apply ${d.databaseName} --local failed${missing ? ': wrangler is not installed' : ''}`,
      {
        hint: missing
          ? "Install the app's dependencies first (wrangler is a dev dependency)."
          : (run.all ?? '').trim().split('\n').slice(-5).join('\n'),
      },
    );
  }
}

export async function applyD1MigrationsLocal(appRoot: string, cf: CloudflareModel): Promise<D1MigrateResult[]> {
  const results: D1MigrateResult[] = [];
  for (const d of cf.d1.filter((db) => db.migrationsDir !== null)) {
    await applyD1Local(appRoot, d);
    results.push({ database: d.logical, binding: d.binding });
  }
  return results;
}
