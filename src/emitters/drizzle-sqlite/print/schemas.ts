/**
 * @module emitters/drizzle-sqlite/print/schemas
 * The schema files: `src/db/auth-schema.ts` (Better Auth's tables), one
 * `src/features/<slug>/<slug>.schema.ts` per feature, and `src/db/schema.ts` re-exporting the
 * feature tables (plus the auth tables when everything lives in one database).
 */
import type { AppModel, TableModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { noMemo, type EmittedFile, type EmitMemo } from '../../../compiler/emit/contract.js';
import { resolveReference } from '../../../compiler/emit/columns.js';
import { importPath, lines } from '../../print-utils.js';
import { printSchemaModule } from './module.js';
import { SQLITE, type SchemaVocabulary } from './table.js';

export const EMITTER_ID = 'drizzle-sqlite';
export const AUTH_SCHEMA = 'src/db/auth-schema.ts';
export const SCHEMA_INDEX = 'src/db/schema.ts';
/** `org_data_keys` (encrypted columns): the wrapped per-organization data keys. */
export const DATA_KEYS_SCHEMA = 'src/db/data-keys.schema.ts';
/** `user_sessions` (PostgreSQL RLS, seed 001). */
export const RLS_SUPPORT_SCHEMA = 'src/db/rls-support.schema.ts';
export const WEBHOOKS_SCHEMA = 'src/db/webhook-endpoints.schema.ts';
export const WEBHOOK_DELIVERIES_SCHEMA = 'src/db/webhook-deliveries.schema.ts';
export const WEBHOOK_EVENTS_SCHEMA = 'src/db/webhook-events.schema.ts';
/** `idempotency_keys`: the stored responses of Idempotency-Key requests. */
export const IDEMPOTENCY_SCHEMA = 'src/db/idempotency-keys.schema.ts';

/** What differs between the dialects' schema files: the emitter, the builders and where Better Auth's tables live. */
export interface SchemaDialect {
  emitter: string;
  vocabulary: SchemaVocabulary;
  authSchema: string;
}
export const SQLITE_SCHEMAS: SchemaDialect = { emitter: EMITTER_ID, vocabulary: SQLITE, authSchema: AUTH_SCHEMA };

/** Better Auth's schema module on PostgreSQL (seed 001: `src/auth/schema.ts`, beside src/auth/index.ts). */
export const PG_AUTH_SCHEMA = 'src/auth/schema.ts';

/** Where Better Auth's schema module is for this app. */
export function authSchemaPath(model: AppModel): string {
  return model.database.dialect === 'postgresql' ? PG_AUTH_SCHEMA : AUTH_SCHEMA;
}

export function featureSchemaPath(slug: string): string {
  return `src/features/${slug}/${slug}.schema.ts`;
}

/** The tables `table` references, in `all`'s order: all that its schema module reads besides itself. */
function referencedTables(table: TableModel, all: readonly TableModel[]): TableModel[] {
  const targets = new Set(
    table.columns.map((c) => resolveReference(c, all)?.table).filter((t): t is TableModel => t !== undefined),
  );
  targets.add(table);
  return all.filter((t) => targets.has(t));
}

export function emitDrizzleSqlite(
  model: AppModel,
  memo: EmitMemo = noMemo,
  dialect: SchemaDialect = SQLITE_SCHEMAS,
): EmittedFile[] {
  const { vocabulary, authSchema } = dialect;
  const authTables = new Set(model.auth.tables);
  const fileOf = new Map<TableModel, string>();
  for (const t of model.auth.tables) fileOf.set(t, authSchema);
  for (const f of model.features) fileOf.set(f.table, featureSchemaPath(f.slug));
  const all = [...model.auth.tables, ...model.features.map((f) => f.table)];
  const file = (path: string, contents: string): EmittedFile => ({
    path,
    contents,
    ownership: 'compiler',
    emitter: dialect.emitter,
  });
  const moduleFrom = (from: string) => (table: TableModel) => importPath(from, fileOf.get(table)!);

  // External or Supabase auth: no Better Auth tables in this app, so no auth schema module.
  const files = model.auth.tables.length === 0
    ? []
    : [
      file(
        authSchema,
        withBanner(
          'ts',
          model.configFile,
          printSchemaModule(model.auth.tables, all, moduleFrom(authSchema), vocabulary),
        ),
      ),
    ];
  for (const feature of model.features) {
    const path = featureSchemaPath(feature.slug);
    const tables = referencedTables(feature.table, all);
    const modules = tables.map(moduleFrom(path));
    const print = () =>
      withBanner(
        'ts',
        feature.source,
        printSchemaModule([feature.table], tables, (t) => modules[tables.indexOf(t)], vocabulary),
      );
    files.push(
      file(path, memo.use(`${dialect.emitter}/schema`, [feature.source, feature.table, tables, modules], print)),
    );
  }
  const reexports = [...model.features]
    .sort((a, b) => (a.table.exportName < b.table.exportName ? -1 : 1))
    .map((f) =>
      `export { ${f.table.exportName} } from ${JSON.stringify(importPath(SCHEMA_INDEX, featureSchemaPath(f.slug)))};`
    );
  const standalone = (path: string, table: TableModel) => {
    files.push(
      file(
        path,
        withBanner(
          'ts',
          model.configFile,
          printSchemaModule([table], [table], () => importPath(path, path), vocabulary),
        ),
      ),
    );
    reexports.push(`export { ${table.exportName} } from ${JSON.stringify(importPath(SCHEMA_INDEX, path))};`);
  };
  if (model.encryption) standalone(DATA_KEYS_SCHEMA, model.encryption.table);
  if (model.rlsSupport) standalone(RLS_SUPPORT_SCHEMA, model.rlsSupport.table);
  if (model.webhooks) {
    standalone(WEBHOOKS_SCHEMA, model.webhooks.tables.endpoints);
    standalone(WEBHOOK_DELIVERIES_SCHEMA, model.webhooks.tables.deliveries);
    standalone(WEBHOOK_EVENTS_SCHEMA, model.webhooks.tables.events);
  }
  if (model.idempotency) standalone(IDEMPOTENCY_SCHEMA, model.idempotency.table);
  const auth = model.database.splitDatabases || authTables.size === 0
    ? []
    : [`export * from ${JSON.stringify(importPath(SCHEMA_INDEX, authSchema))};`];
  const body = [...reexports, ...auth];
  files.push(file(
    SCHEMA_INDEX,
    withBanner(
      'ts',
      model.configFile,
      lines(
        '/** Every feature table' + (auth.length
          ? ' and the Better Auth tables (one database).'
          : model.auth.provider === 'external'
          ? '. Users and sessions live in the auth Worker (external auth).'
          : ". Better Auth's tables are in auth-schema.ts (their own database).")
          + ' */',
        body.length > 0 ? body.join('\n') : 'export {};',
      ),
    ),
  ));
  return files;
}
