/**
 * @module cli/commands/migrate-d1
 * `quickback migrate` on Cloudflare: wrangler's local D1 (compiler/migrate/d1.ts), printed.
 */
import type { CloudflareModel } from '../../compiler/model/cloudflare.js';
import { applyD1MigrationsLocal } from '../../compiler/migrate/d1.js';
import { color, out, printJson } from '../output.js';

export async function migrateD1(appRoot: string, cf: CloudflareModel, json: boolean): Promise<number> {
  const results = await applyD1MigrationsLocal(appRoot, cf);
  if (json) printJson({ ok: true, command: 'migrate', results: results.map((r) => ({ ...r, local: true })) });
  else if (results.length === 0) out(`${color.dim('Nothing to migrate: no D1 database has tables yet.')}`);
  else
    for (const r of results)
      out(
        `${color.green('✔')} ${r.database}: migrations applied to the local D1 database ${
          color.dim(`(${r.binding}, wrangler)`)
        }`,
      );
  return 0;
}
