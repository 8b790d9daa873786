/**
 * @module emitters/hono/print/app-migrations
 * `src/db/migrations.ts` (the journals the app ships, read by no disk at runtime, so Workers know
 * them too) and the `migrations` option of createQuickbackApp: the probe over the app's databases
 * and the command that applies them on its target (runtime migrations-gate.ts).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { missingDatabaseHint } from '../../../runtime/data/postgres/pg-connect.js';
import type { ShippedJournals } from '../../../compiler/emit/contract.js';
import { withBanner } from '../../banner.js';
import { importLine, lines, runtimeImport, type RuntimeName } from '../../print-utils.js';

/** The app's migrated databases: one on PostgreSQL; with `splitDatabases`, Better Auth's own on SQLite and D1. */
export function migratedDatabases(model: AppModel): ('features' | 'auth')[] {
  const ownAuth = model.auth.provider === 'better-auth';
  return model.database.dialect !== 'postgresql' && model.database.splitDatabases && ownAuth
    ? ['features', 'auth']
    : ['features'];
}

export function printShippedMigrations(model: AppModel, journals: ShippedJournals): string {
  const entry = (name: 'features' | 'auth') => {
    const shipped = journals[name] ?? { tags: [], when: 0 };
    const tags = shipped.tags.length === 0
      ? '[]'
      : `[\n${shipped.tags.map((t) => `      ${JSON.stringify(t)},`).join('\n')}\n    ]`;
    return [`  ${name}: {`, `    tags: ${tags},`, `    when: ${shipped.when},`, '  },'];
  };
  return withBanner(
    'ts',
    model.configFile,
    lines(
      runtimeImport(['type ShippedMigrations']),
      '',
      '/**',
      ' * The migrations this app ships (quickback/drizzle/<database>/meta/_journal.json): their tags in order',
      " * and the last one's `when`. The app compares them with what its databases recorded and answers",
      ' * 503 DATABASE_MIGRATIONS_PENDING until they are applied.',
      ' */',
      'export const shippedMigrations = {',
      ...migratedDatabases(model).flatMap(entry),
      '} satisfies Record<string, ShippedMigrations>;',
    ),
  );
}

function dialectOf(model: AppModel): string {
  return model.database.dialect === 'postgresql' ? 'postgresql' : model.cloudflare ? 'd1' : 'sqlite';
}

/** The command that applies the migrations, as the generated package.json names it. */
function migrateHint(model: AppModel): string {
  if (model.cloudflare && model.database.dialect !== 'postgresql') {
    return 'Apply them: npm run db:migrate:local (wrangler d1 migrations apply <database> --local), or npm run db:migrate:remote for the deployed databases.';
  }
  return 'Apply them: npm run db:migrate (or quickback migrate). A running server picks them up without a restart.';
}

export function migrationsImports(): string[] {
  return [importLine(['shippedMigrations'], './db/migrations.js')];
}

/** The runtime names of migrationsLines: the probe, its options, and the createdb hint on Node and Bun over PostgreSQL. */
export function migrationsRuntime(model: AppModel): RuntimeName[] {
  return [
    'type MigrationsOptions',
    'probeMigrations',
    model.database.dialect === 'postgresql' && !model.cloudflare && 'missingDatabaseHint',
  ];
}

/**
 * `const migrations: MigrationsOptions = {...}` inside createApp. `open`: the expression of the
 * app's databases (Node, Bun: the process's; Workers: a request's own, closed after the probe).
 */
export function migrationsLines(model: AppModel, open: string): string[] {
  const targets = migratedDatabases(model).map((name) => `[databases.${name}, shippedMigrations.${name}]`).join(', ');
  const probe = `probeMigrations(${JSON.stringify(dialectOf(model))}, [${targets}])`;
  const closes = model.cloudflare !== undefined && model.database.dialect === 'postgresql';
  const missing = model.database.dialect !== 'postgresql'
    ? []
    // Node, Bun: the createdb command for DATABASE_URL; Workers have no settings until a request.
    : [
      `    missingHint: ${
        model.cloudflare
          ? JSON.stringify(missingDatabaseHint(undefined, 'npm run db:migrate'))
          : 'missingDatabaseHint(env.DATABASE_URL, "npm run db:migrate")'
      },`,
    ];
  return [
    '  // The shipped migrations against what the databases recorded: 503 DATABASE_MIGRATIONS_PENDING until applied.',
    '  const migrations: MigrationsOptions = {',
    closes ? '    probe: async (c) => {' : `    probe: async (${model.cloudflare ? 'c' : ''}) => {`,
    `      const databases = ${open};`,
    ...(closes
      ? [
        '      try {',
        `        return await ${probe};`,
        '      } finally {',
        '        await databases.close();',
        '      }',
      ]
      : [`      return ${probe};`]),
    '    },',
    `    hint: ${JSON.stringify(migrateHint(model))},`,
    ...missing,
    '  };',
  ];
}
