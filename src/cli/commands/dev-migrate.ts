/**
 * @module cli/commands/dev-migrate
 * `quickback dev` keeps the local databases migrated (issue #30): at start (a fresh clone) and after
 * every compile that writes a migration, each local database (SQLite file, PostgreSQL on this
 * machine, wrangler's local D1) gets its pending migrations, printed by name. A migration that
 * would destroy rows (data-loss.ts) is held back with QB_DEV_DATA_LOSS naming the data, unless dev
 * runs with --accept-data-loss. A database not on this machine is never touched: dev says once
 * that it needs the migrations and which command applies them. Failures are printed, never thrown:
 * the dev server keeps running.
 */
import { dataAtStake, type DataAtStake } from '../../compiler/migrate/data-loss.js';
import { applyMigrations } from '../../compiler/migrate/apply.js';
import { applyD1Local } from '../../compiler/migrate/d1.js';
import { targetStatus } from '../../compiler/migrate/status.js';
import { migrationTargets, targetLabel, type MigrationTarget } from '../../compiler/migrate/targets.js';
import type { AppModel } from '../../compiler/model/ir.js';
import { isQuickbackError } from '../../shared/errors.js';
import type { ErrorCode } from '../../shared/error-codes.js';
import { color, err, out } from '../output.js';

export interface DevMigrator {
  /** After a successful compile; `written` null on the first run (everything is checked). */
  run(model: AppModel, written: readonly string[] | null): Promise<void>;
}

const DRIZZLE = 'quickback/drizzle/';

function describe(stake: DataAtStake): string {
  const rows = `${stake.rows} row${stake.rows === 1 ? '' : 's'}`;
  return stake.column ? `column ${stake.table}.${stake.column} (${rows} with a value)` : `table ${stake.table} (${rows})`;
}

/** One coded line and its hint, as the compiler's diagnostics print (without the file grouping). */
function say(severity: 'warning' | 'error', code: ErrorCode, message: string, hint?: string): void {
  err(`${severity === 'error' ? color.red('error') : color.yellow('warning')} ${color.dim(code)}: ${message}`);
  if (hint) err(`  ${color.dim('hint:')} ${hint}`);
}

function report(thrown: unknown, target: MigrationTarget): void {
  const message = `${target.database}: migrating ${targetLabel(target)} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
  if (isQuickbackError(thrown)) say('error', thrown.code, `${target.database}: ${thrown.message}`, thrown.hint);
  else say('error', 'QB_MIGRATE_APPLY_FAILED', message, 'Run quickback migrate --debug to see the failing statement.');
}

async function apply(target: MigrationTarget): Promise<void> {
  if (target.kind === 'd1') return applyD1Local(target.appRoot, target.d1!);
  await applyMigrations({ driver: target.driver as 'better-sqlite3' | 'libsql' | 'node-postgres', url: target.url!, migrationsFolder: target.migrationsFolder });
}

export function devMigrator(root: string, acceptDataLoss: boolean): DevMigrator {
  const told = new Set<string>();
  const once = (key: string, say: () => void) => {
    if (!told.has(key)) say();
    told.add(key);
  };

  async function migrate(model: AppModel, target: MigrationTarget): Promise<void> {
    const run = `${model.build.packageManager} run`;
    const label = targetLabel(target);
    if (!target.local || target.url === undefined) {
      const command = target.kind === 'd1' ? `${run} db:migrate:${target.database}:remote` : `${run} db:migrate`;
      const shipped = (await targetStatus(target)).shipped.map((m) => m.tag);
      if (shipped.length === 0) return;
      once(`remote:${target.database}:${shipped.join(',')}`, () => say('warning', 'QB_DEV_REMOTE_DATABASE',
        `${target.database}: quickback dev does not migrate ${label}: it is not a database on this machine (newest migration ${shipped.at(-1)}).`,
        target.url === undefined ? 'Set DATABASE_URL (.env) to a local server to have dev migrate it, or apply the migrations yourself.' : `Apply pending migrations to it yourself: ${command}`));
      return;
    }
    const status = await targetStatus(target);
    const pending = status.pending ?? [];
    if (pending.length === 0) return;
    const tags = pending.map((m) => m.tag).join(', ');
    if (!acceptDataLoss) {
      const stakes = await dataAtStake(target, pending);
      if (stakes.length > 0) {
        once(`loss:${target.database}:${tags}`, () => say('warning', 'QB_DEV_DATA_LOSS',
          `${target.database}: not applied: ${tags} would delete ${stakes.map(describe).join(', ')} in ${label}. The server runs without it.`,
          `Keep the data: undo the change and save. Drop it: restart with \`${run} dev -- --accept-data-loss\` (quickback dev --accept-data-loss), or run \`quickback migrate\`.`));
        return;
      }
    }
    await apply(target);
    out(`${color.green('✔')} ${target.database}: applied ${tags} ${color.dim(`(${label})`)}`);
  }

  return {
    async run(model, written) {
      if (written !== null && !written.some((file) => file.startsWith(DRIZZLE))) return;
      for (const target of migrationTargets(root, model)) await migrate(model, target).catch((thrown: unknown) => report(thrown, target));
    },
  };
}
