/**
 * Issue #3 §5: every kind of bad input exits 1 with a coded message naming the file and the path
 * inside the definition, prints no stack trace, and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { copyFixture, emptyProject } from '../helpers/project.js';
import { runCli, tree } from './run-cli.js';

const CONFIG = (
  body = '',
  runtime = 'defineRuntime("node")',
  db = 'defineDatabase("better-sqlite3")',
) => `import { defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";
export default defineConfig({
  name: "bad",
  providers: { runtime: ${runtime}, database: ${db} },
  features: { organizations: true },
  ${body}
});
`;

const FEATURE = (name: string, columns: string, rest = '') => `import { feature, q } from "@quickback/compiler";
export default feature("${name}", {
  columns: {
    ${columns}
  },
  ${rest}
});
`;

const GOOD_COLUMNS = 'title: q.text().required(),\n    organizationId: q.scope("organization"),';

interface Case {
  name: string;
  files: Record<string, string>;
  code: string;
  file?: string;
  at?: string;
  hint?: RegExp;
}

const cases: Case[] = [
  {
    name: 'a syntax error in a definition',
    files: {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE('tickets', GOOD_COLUMNS).replace('required(),', 'required(,'),
    },
    code: 'QB_LOAD_SYNTAX_ERROR',
    file: 'quickback/features/tickets/tickets.ts',
  },
  {
    name: 'a missing config file',
    files: { 'quickback/features/tickets/tickets.ts': FEATURE('tickets', GOOD_COLUMNS) },
    code: 'QB_LOAD_CONFIG_NOT_FOUND',
    file: 'quickback/quickback.config.ts',
    hint: /npm create quickback/,
  },
  {
    name: 'an unknown option, with the nearest valid key',
    files: {
      'quickback/quickback.config.ts': CONFIG(
        '',
        'defineRuntime("node")',
        'defineDatabase("better-sqlite3", { generateID: "uuid" } as never)',
      ),
      'quickback/features/tickets/tickets.ts': FEATURE('tickets', GOOD_COLUMNS),
    },
    code: 'QB_VALIDATE_UNKNOWN_OPTION',
    file: 'quickback/quickback.config.ts',
    at: 'providers.database.generateID',
    hint: /generateId/,
  },
  {
    name: 'a column type typo',
    files: {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE(
        'tickets',
        'title: (q as any).txt().required(),\n    organizationId: q.scope("organization"),',
      ),
    },
    code: 'QB_DSL_UNKNOWN_COLUMN_TYPE',
    file: 'quickback/features/tickets/tickets.ts',
    at: 'features.tickets.columns.title',
    hint: /q\.text/,
  },
  {
    name: 'a feature with two scope columns',
    files: {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE(
        'tickets',
        'title: q.text(),\n    organizationId: q.scope("organization"),\n    ownerId: q.scope("owner"),',
      ),
    },
    code: 'QB_VALIDATE_AMBIGUOUS_SCOPE',
    file: 'quickback/features/tickets/tickets.ts',
    at: 'features.tickets.columns',
    hint: /firewall/,
  },
  {
    name: 'a role that is not in roleHierarchy',
    files: {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE(
        'tickets',
        GOOD_COLUMNS,
        'read: { access: { roles: ["admn+"] } },',
      ),
    },
    code: 'QB_VALIDATE_UNKNOWN_ROLE',
    file: 'quickback/features/tickets/tickets.ts',
    at: 'features.tickets.read.access.roles[0]',
    hint: /admin/,
  },
  {
    name: 'duplicate feature names',
    files: {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE('tickets', GOOD_COLUMNS),
      'quickback/features/issues/issues.ts': FEATURE('tickets', GOOD_COLUMNS),
    },
    code: 'QB_VALIDATE_DUPLICATE_FEATURE',
    file: 'quickback/features/issues/issues.ts',
    at: 'features.tickets',
  },
  {
    name: 'an option for a target that is not built',
    files: {
      'quickback/quickback.config.ts': CONFIG('', 'defineRuntime("cloudflare")', 'defineDatabase("supabase")'),
      'quickback/features/tickets/tickets.ts': FEATURE('tickets', GOOD_COLUMNS),
    },
    code: 'QB_VALIDATE_NOT_SUPPORTED',
    file: 'quickback/quickback.config.ts',
    at: 'providers.runtime',
  },
  {
    name: 'an encrypted column that is filterable',
    files: {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/guests/guests.ts': FEATURE(
        'guests',
        `${GOOD_COLUMNS}\n    notes: q.text().filterable().encrypted(),`,
      ),
    },
    code: 'QB_VALIDATE_ENCRYPTED_COLUMN',
    file: 'quickback/features/guests/guests.ts',
    at: 'features.guests.columns.notes',
    hint: /Ciphertext cannot be compared/,
  },
];

describe('quickback compile: bad input', () => {
  it.each(cases)('$name → $code, exit 1, nothing written', async (c) => {
    const root = emptyProject('bad-input', c.files);
    const before = tree(root);
    const result = await runCli(['compile', '--cwd', root]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(c.code);
    if (c.file) expect(result.stderr).toContain(c.file);
    if (c.at) expect(result.stderr).toContain(c.at);
    if (c.hint) expect(result.stderr).toMatch(c.hint);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    expect(tree(root)).toEqual(before);
  });

  it('reports every problem at once, as JSON with --json', async () => {
    const root = emptyProject('bad-input-all', {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE(
        'tickets',
        'title: q.text(),\n    organizationId: q.scope("organization"),\n    ownerId: q.scope("owner"),',
        'read: { access: { roles: ["boss"] } },',
      ),
      'quickback/features/notes/notes.ts': FEATURE(
        'notes',
        'body: q.text(),\n    ownerId: q.scope("owner"),',
        'crud: { delete: { access: { roles: ["*"] } } },',
      ),
    });
    const result = await runCli(['compile', '--cwd', root, '--json']);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      diagnostics: { code: string; file: string; at: string }[];
    };
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => `${d.code} ${d.file} ${d.at}`)).toEqual([
      'QB_VALIDATE_INVALID_ACCESS quickback/features/notes/notes.ts features.notes.crud.delete.access.roles[0]',
      'QB_VALIDATE_AMBIGUOUS_SCOPE quickback/features/tickets/tickets.ts features.tickets.columns',
      'QB_VALIDATE_UNKNOWN_ROLE quickback/features/tickets/tickets.ts features.tickets.read.access.roles[0]',
    ]);
  });

  it('quickback keys: a project without encrypted columns, an unknown verb, shred without --org', async () => {
    const root = emptyProject('bad-keys', {
      'quickback/quickback.config.ts': CONFIG(),
      'quickback/features/tickets/tickets.ts': FEATURE('tickets', GOOD_COLUMNS),
    });
    const none = await runCli(['keys', 'rotate', '--cwd', root]);
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('QB_KEYS_NO_ENCRYPTION')]);
    const verb = await runCli(['keys', 'spin', '--cwd', root]);
    expect([verb.code, verb.stderr]).toEqual([1, expect.stringContaining('expected rotate or shred')]);
    const org = await runCli(['keys', 'shred', '--yes', '--cwd', root]);
    expect([org.code, org.stderr]).toEqual([1, expect.stringContaining('needs --org')]);
    expect(none.stderr + verb.stderr + org.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('quickback keys on a database without org_data_keys: a coded error, no stack trace', async () => {
    const root = copyFixture('vault', 'bad-keys-db');
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const missing = await runCli(['keys', 'rotate', '--cwd', root], { ENCRYPTION_KEK: 'ab'.repeat(32) });
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('No database at')]);
    mkdirSync(path.join(root, 'data'), { recursive: true });
    new Database(path.join(root, 'data', 'features.db')).close();
    const empty = await runCli(['keys', 'rotate', '--cwd', root], { ENCRYPTION_KEK: 'ab'.repeat(32) });
    expect([empty.code, empty.stderr]).toEqual([1, expect.stringContaining('QB_KEYS_FAILED')]);
    expect(empty.stderr).toContain('no such table: org_data_keys');
    expect(empty.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('an unknown command or flag exits 1 with a suggestion', async () => {
    const command = await runCli(['compil']);
    expect(command.code).toBe(1);
    expect(command.stderr).toContain('QB_CLI_UNKNOWN_COMMAND');
    expect(command.stderr).toContain('compile');
    const flag = await runCli(['compile', '--chek']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('QB_CLI_UNKNOWN_FLAG');
    expect(flag.stderr).toContain('--check');
  });
});
