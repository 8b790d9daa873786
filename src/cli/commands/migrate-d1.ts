/**
 * @module cli/commands/migrate-d1
 * `quickback migrate` on Cloudflare: wrangler's own `d1 migrations apply --local` for each
 * migrated D1 database of wrangler.toml (the app's installed wrangler), so the local state is
 * exactly what `wrangler dev` reads.
 */
import type { CloudflareModel } from '../../compiler/model/cloudflare.js';
import { QuickbackError } from '../../shared/errors.js';
import { color, out, printJson } from '../output.js';

export async function migrateD1(appRoot: string, cf: CloudflareModel, json: boolean): Promise<number> {
  const { execa } = await import('execa');
  const results: { database: string; binding: string; output: string }[] = [];
  for (const d of cf.d1.filter((db) => db.migrationsDir !== null)) {
    const run = await execa('wrangler', ['d1', 'migrations', 'apply', d.databaseName, '--local'], {
      cwd: appRoot, preferLocal: true, reject: false, all: true, stdin: 'ignore',
      env: { CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    });
    if (run.exitCode !== 0) {
      const missing = (run as { code?: string }).code === 'ENOENT';
      throw new QuickbackError('QB_MIGRATE_APPLY_FAILED', `wrangler d1 migrations apply ${d.databaseName} --local failed${missing ? ': wrangler is not installed' : ''}`, {
        hint: missing ? 'Run npm install in the app folder (wrangler is a dev dependency).' : (run.all ?? '').trim().split('\n').slice(-5).join('\n'),
      });
    }
    results.push({ database: d.logical, binding: d.binding, output: run.all ?? '' });
  }
  if (json) printJson({ ok: true, command: 'migrate', results: results.map(({ database, binding }) => ({ database, binding, local: true })) });
  else for (const r of results) out(`${color.green('✔')} ${r.database}: migrations applied to the local D1 database ${color.dim(`(${r.binding}, wrangler)`)}`);
  return 0;
}
