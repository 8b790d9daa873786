/**
 * @module compiler/migrations
 * Which tables go to which migrations folder: with `splitDatabases`, auth tables in
 * quickback/drizzle/auth and feature tables in quickback/drizzle/features; otherwise all of
 * them in quickback/drizzle/features. Renames are handed to the folder whose tables they name.
 */
import type { EmittedFile, ShippedJournals } from './emit/contract.js';
import { sha256 } from '../shared/hash.js';
import type { CompileCache } from './cache/index.js';
import type { LoadedProject, MigrationJournal } from './load/types.js';
import { planMigration } from './migrate/index.js';
import type { AppModel, TableModel } from './model/ir.js';
import { rlsStatements } from './rls/layer.js';
import { planRlsMigration } from './rls/migration.js';

function renamesFor(model: AppModel, tables: TableModel[]) {
  const names = new Set(tables.map((t) => t.sqlName));
  const { renames } = model.migrations;
  return {
    tables: Object.fromEntries(Object.entries(renames.tables).filter(([, to]) => names.has(to))),
    columns: Object.fromEntries(
      Object.entries(renames.columns).filter(([from]) =>
        names.has(from.split('.')[0]) || Object.values(renames.tables).includes(from.split('.')[0])
      ),
    ),
  };
}

/**
 * The plan is a pure function of its input, so it is cached under the input's hash: a compile
 * whose tables did not change does not even load drizzle-kit (~0.2 s).
 */
async function planCached(
  input: Parameters<typeof planMigration>[0],
  cache: CompileCache | null,
): Promise<EmittedFile[]> {
  const key = sha256(JSON.stringify(input));
  const hit = cache?.previous.migrations[input.dir];
  const files = hit?.key === key ? hit.files : (await planMigration(input)).files;
  if (cache) cache.next.migrations[input.dir] = { key, files };
  return files;
}

/** PostgreSQL: one folder, the schema migration (if any) and then the RLS layer when it changed. */
async function planPostgres(model: AppModel, project: LoadedProject, tables: TableModel[]): Promise<EmittedFile[]> {
  const dir = 'quickback/drizzle/features';
  const history = project.migrations.features;
  const input = { dir, tables, history, renames: renamesFor(model, tables), dialect: 'postgresql' as const };
  const schema = await planCached(input, project.cache);
  const rls = planRlsMigration(dir, rlsStatements(model), history, schema);
  // The RLS entry's journal lists the schema entry too.
  return rls.length > 0 ? [...schema.filter((f) => !f.path.endsWith('meta/_journal.json')), ...rls] : schema;
}

export async function planMigrations(model: AppModel, project: LoadedProject): Promise<EmittedFile[]> {
  const featureTables = [
    ...model.features.map((f) => f.table),
    ...(model.encryption ? [model.encryption.table] : []),
    ...(model.rlsSupport ? [model.rlsSupport.table] : []),
    ...(model.webhooks
      ? [model.webhooks.tables.endpoints, model.webhooks.tables.deliveries, model.webhooks.tables.events]
      : []),
    ...(model.idempotency ? [model.idempotency.table] : []),
  ];
  if (model.database.dialect === 'postgresql')
    return planPostgres(model, project, [...model.auth.tables, ...featureTables]);
  const groups: { name: 'auth' | 'features'; tables: TableModel[] }[] = model.database.splitDatabases
    ? [{ name: 'features', tables: featureTables }, { name: 'auth', tables: model.auth.tables }]
    : [{ name: 'features', tables: [...model.auth.tables, ...featureTables] }];
  const files: EmittedFile[] = [];
  for (const group of groups) {
    const input = {
      dir: `quickback/drizzle/${group.name}`,
      tables: group.tables,
      history: project.migrations[group.name],
      renames: renamesFor(model, group.tables),
    };
    files.push(...(await planCached(input, project.cache)));
  }
  return files;
}

/** What the app ships per folder after this compile: the journal just planned, else the one on disk (the generated src/db/migrations.ts). */
export function shippedJournals(project: LoadedProject, planned: EmittedFile[]): ShippedJournals {
  const out: ShippedJournals = {};
  for (const name of ['features', 'auth'] as const) {
    const file = planned.find((f) => f.path === `quickback/drizzle/${name}/meta/_journal.json`);
    const journal = file ? (JSON.parse(file.contents) as MigrationJournal) : project.migrations[name]?.journal;
    if (!journal || journal.entries.length === 0) continue;
    out[name] = { tags: journal.entries.map((e) => e.tag), when: Math.max(...journal.entries.map((e) => e.when)) };
  }
  return out;
}
