/**
 * @module cli/commands/dev-migrate
 * `quickback dev` keeps the local databases migrated (issue #30): at start (a fresh clone) and after
 * every compile that writes a migration or finds a new one (a generator's), each local database (SQLite file, PostgreSQL on this
 * machine, wrangler's local D1) gets its pending migrations, printed by name. A migration that
 * would destroy rows (data-loss.ts) is held back with QB_DEV_DATA_LOSS naming the data, unless dev
 * runs with --accept-data-loss. A database not on this machine is never touched: dev says once
 * that it needs the migrations and which command applies them. Failures are printed, never thrown:
 * the dev server keeps running.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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
  /** After a successful compile of the project at `root`; `written` null on the first run (everything is checked). Never rejects. */
  run(root: string, model: AppModel, written: readonly string[] | null): Promise<void>;
}

const DRIZZLE = 'quickback/drizzle/';

/**
 * The migration journals as they are on disk. A generator run while dev runs (`quickback add
 * column`) compiles and writes its migration itself, under the project lock; the watcher's run
 * after it writes nothing, so a changed journal, not the run's writes, is what says to migrate.
 */
function journals(root: string): string {
  const folder = path.join(root, DRIZZLE);
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return '';
  }
  return names.map((name) => {
    try {
      return `${name}:${readFileSync(path.join(folder, name, 'meta', '_journal.json'), 'utf8')}`;
    } catch {
      return name;
    }
  }).join('\n');
}

function describe(stake: DataAtStake): string {
  const rows = `${stake.rows} row${stake.rows === 1 ? '' : 's'}`;
  return stake.column
    ? `column ${stake.table}.${stake.column} (${rows} with a value)`
    : `table ${stake.table} (${rows})`;
}

/** One coded line and its hint, as the compiler's diagnostics print (without the file grouping). */
function say(severity: 'warning' | 'error', code: ErrorCode, message: string, hint?: string): void {
  err(`${severity === 'error' ? color.red('error') : color.yellow('warning')} ${color.dim(code)}: ${message}`);
  if (hint) err(`  ${color.dim('hint:')} ${hint}`);
}

/** A failure to migrate one database (`database`: features, auth) is printed; dev goes on. */
function report(thrown: unknown, database: string, label: string): void {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (isQuickbackError(thrown)) say('error', thrown.code, `${database}: ${thrown.message}`, thrown.hint);
  else
    say(
      'error',
      'QB_MIGRATE_APPLY_FAILED',
      `${database}: migrating ${label} failed: ${message}`,
      'Run quickback migrate --debug to see the failing statement.',
    );
}

async function apply(target: MigrationTarget): Promise<void> {
  if (target.kind === 'd1') return applyD1Local(target.appRoot, target.d1!);
  await applyMigrations({
    driver: target.driver as 'better-sqlite3' | 'libsql' | 'node-postgres',
    url: target.url!,
    migrationsFolder: target.migrationsFolder,
  });
}

export function devMigrator(acceptDataLoss: boolean): DevMigrator {
  const told = new Set<string>();
  const once = (key: string, tell: () => void) => {
    if (!told.has(key)) tell();
    told.add(key);
  };

  async function migrate(root: string, model: AppModel, target: MigrationTarget): Promise<void> {
    const run = `${model.build.packageManager} run`;
    const label = targetLabel(target);
    if (target.url === undefined) {
      once(
        `unset:${target.database}`,
        () =>
          say(
            'warning',
            'QB_MIGRATE_NO_DATABASE_URL',
            `${target.database}: DATABASE_URL is not set, so quickback dev has no database to migrate.`,
            `Put a local server's URL in ${
              model.cloudflare ? '.dev.vars' : '.env'
            } (DATABASE_URL=postgres://postgres@127.0.0.1:5432/${model.name}) and restart.`,
          ),
      );
      return;
    }
    if (!target.local) {
      const command = target.kind === 'd1' ? `${run} db:migrate:${target.database}:remote` : `${run} db:migrate`;
      const shipped = (await targetStatus(target)).shipped.map((m) => m.tag);
      if (shipped.length === 0) return;
      once(
        `remote:${target.database}:${shipped.join(',')}`,
        () =>
          say(
            'warning',
            'QB_DEV_REMOTE_DATABASE',
            `${target.database}: quickback dev does not migrate ${label}: it is not a database on this machine (newest migration ${
              shipped.at(-1)
            }).`,
            `Apply pending migrations to it yourself: ${command}`,
          ),
      );
      return;
    }
    const status = await targetStatus(target);
    const pending = status.pending ?? [];
    if (pending.length === 0) return;
    const tags = pending.map((m) => m.tag).join(', ');
    if (!acceptDataLoss) {
      const stakes = await dataAtStake(target, pending);
      if (stakes.length > 0) {
        once(
          `loss:${target.database}:${tags}`,
          () =>
            say(
              'warning',
              'QB_DEV_DATA_LOSS',
              `${target.database}: not applied: ${tags} would delete ${
                stakes.map(describe).join(', ')
              } in ${label}. The server runs without it.`,
              `Apply it and lose the data: restart with \`${run} dev -- --accept-data-loss\` (quickback dev --accept-data-loss), or run \`quickback migrate\`. `
                + `Keep the data: put the definition back and delete the unapplied ${
                  pending.length === 1 ? 'migration' : 'migrations'
                } from ${path.relative(root, target.migrationsFolder)} `
                + `(${pending.map((m) => `${m.tag}.sql, meta/${m.tag.slice(0, 4)}_snapshot.json`).join(', ')} and ${
                  pending.length === 1 ? 'its entry' : 'their entries'
                } in meta/_journal.json).`,
            ),
        );
        return;
      }
    }
    await apply(target);
    out(`${color.green('✔')} ${target.database}: applied ${tags} ${color.dim(`(${label})`)}`);
  }

  let seen: string | undefined;
  return {
    async run(root, model, written) {
      const now = journals(root);
      const changed = now !== seen;
      seen = now;
      if (written !== null && !changed && !written.some((file) => file.startsWith(DRIZZLE))) return;
      let targets: MigrationTarget[];
      try {
        targets = migrationTargets(root, model);
      } catch (thrown) {
        return report(thrown, 'databases', "the app's .env");
      }
      for (const target of targets)
        await migrate(root, model, target).catch((thrown: unknown) =>
          report(thrown, target.database, targetLabel(target))
        );
    },
  };
}
