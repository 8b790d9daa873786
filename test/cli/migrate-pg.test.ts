/**
 * `quickback migrate` and the generated `npm run db:migrate` (src/db/migrate.ts) on neon against a
 * PostgreSQL database that does not exist, or a server that does not answer: a coded error with
 * the command that fixes it, exit 1, no stack trace (issue #30 part 5; before: QB_MIGRATE_APPLY_FAILED
 * from the CLI and a raw DrizzleQueryError stack from db:migrate).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import { PG_ADMIN_URL, PGLITE } from '../helpers/postgres.js';
import { copyFixture, REPO } from '../helpers/project.js';
import { freePort } from '../helpers/server.js';
import { runCli, type CliResult } from './run-cli.js';

const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
const STACK = /\n\s+at [^\n]+:\d+:\d+/;

/** The generated app's `db:migrate` script, run the way its package.json does (tsx src/db/migrate.ts). */
function dbMigrate(root: string, url: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/db/migrate.ts'],
      { cwd: root, env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

let root: string;

beforeAll(async () => {
  root = copyFixture('solo', 'migrate-pg', { config: [['defineDatabase("libsql"', 'defineDatabase("neon"']] });
  await compile({ cwd: root });
}, 60_000);

const onServer = PGLITE ? it.skip : it;
if (PGLITE)
  console.log(
    '[migrate-pg] missing-database cases skipped: they need the PostgreSQL server at 127.0.0.1:5432, not PGlite',
  );

describe('migrate on PostgreSQL: a missing database', () => {
  const name = `qb_missing_${randomBytes(4).toString('hex')}`;
  const url = () => {
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const host = () => new URL(PG_ADMIN_URL);

  onServer('quickback migrate: QB_MIGRATE_DATABASE_MISSING with the createdb command, exit 1, no stack', async () => {
    const result = await runCli(['migrate', '--cwd', root], { DATABASE_URL: url() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('QB_MIGRATE_DATABASE_MISSING');
    expect(result.stderr).toContain(`createdb -h ${host().hostname} -p ${host().port || '5432'}`);
    expect(result.stderr).toMatch(new RegExp(`createdb [^\\n]* ${name}\\n`));
    expect(result.stderr).not.toMatch(STACK);
  });

  onServer('npm run db:migrate: the same code and command, exit 1, no DrizzleQueryError stack', async () => {
    const result = await dbMigrate(root, url());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error QB_MIGRATE_DATABASE_MISSING');
    expect(result.stderr).toMatch(new RegExp(`createdb [^\\n]* ${name}\\n`));
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stderr).not.toContain('DrizzleQueryError');
  });
});

describe('migrate on PostgreSQL: an unreachable server', () => {
  it('quickback migrate and npm run db:migrate: QB_MIGRATE_UNREACHABLE naming host:port and DATABASE_URL, password masked, exit 1, no stack', async () => {
    const port = await freePort();
    const url = `postgres://postgres:s3cret@127.0.0.1:${port}/app`;
    for (
      const result of [await runCli(['migrate', '--cwd', root], { DATABASE_URL: url }), await dbMigrate(root, url)]
    ) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('QB_MIGRATE_UNREACHABLE');
      expect(result.stderr).toContain(`127.0.0.1:${port}`);
      expect(result.stderr).toContain('DATABASE_URL');
      expect(result.stderr).not.toContain('s3cret');
      expect(result.stderr).not.toMatch(STACK);
    }
  });
});

describe("quickback compile on PostgreSQL: the first compile's Next line", () => {
  it(
    "names createdb for DATABASE_URL's database and db:migrate (Workers too: there is no db:migrate:local on neon)",
    async () => {
      const node = copyFixture('solo', 'next-pg', { config: [['defineDatabase("libsql"', 'defineDatabase("neon"']] });
      const first = await runCli(['compile', '--cwd', node], {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop_db',
      });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('Next: npm install && createdb shop_db && npm run db:migrate && npm run dev');

      const workers = copyFixture('solo', 'next-pg-cf', {
        config: [
          ['defineRuntime("node")', 'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })'],
          ['defineDatabase("libsql"', 'defineDatabase("neon"'],
        ],
      });
      const cf = await runCli(['compile', '--cwd', workers], {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/edge_db',
      });
      expect(cf.code, cf.stderr).toBe(0);
      expect(cf.stdout).toContain('Next: npm install && createdb edge_db && npm run db:migrate && npm run dev');
    },
    60_000,
  );
});
