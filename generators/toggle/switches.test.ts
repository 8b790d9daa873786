/**
 * `enable|disable webhooks|files|openapi|jwt-revocation|observability|placement` on an in-memory
 * Tree: the exact edit per form of the setting, the flip of an explicit opposite value,
 * idempotence (0 bytes and "already ..."), byte preservation (taking out what was inserted gives
 * the original back), the refusals (a variable, a spread, a call: QB_GEN_CONFLICT with file:line),
 * the file's style (CRLF, tabs, single quotes, no semicolons), and that the edited config passes
 * the validation schema: the only complaint left is the capability table's NOT_SUPPORTED.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../../test/helpers/project.js';
import type { Edit } from '../../src/codemod/edits.js';
import { revertSplices } from '../../test/helpers/splices.js';
import { parseSource } from '../../src/codemod/source.js';
import { applySplices } from '../../src/codemod/splice.js';
import { analyze } from '../../src/compiler/index.js';
import { isQuickbackError, type QuickbackError } from '../../src/shared/errors.js';
import { Tree } from '../../src/shared/tree.js';
import { CONFIG } from '../config.js';
import { toggleGenerators } from './index.js';
import { files, jwtRevocation, observability, openapi, placement, webhooks, type ConfigSwitch } from './switches.js';

function run(command: string, config: string): { after: string; message: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-gen-switch-'));
  mkdirSync(path.join(root, 'quickback'));
  writeFileSync(path.join(root, CONFIG), config);
  const tree = new Tree(root);
  const generator = toggleGenerators.find((g) => g.command === command)!;
  const { messages } = generator.run(tree, generator.options([], {})) as { messages: string[] };
  expect(tree.changes().map((c) => c.path)).toEqual(tree.read(CONFIG) === config ? [] : [CONFIG]);
  return { after: tree.read(CONFIG)!, message: messages[0] };
}

function thrown(command: string, config: string): QuickbackError {
  try {
    run(command, config);
  } catch (e) {
    if (isQuickbackError(e)) return e;
    throw e;
  }
  throw new Error(`${command} did not throw`);
}

const base = (
  runtime = 'defineRuntime("node")',
  database = 'defineDatabase("better-sqlite3", { generateId: "prefixed" })',
  plugins = '"organization"',
  rest = '',
) => `import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";

export default defineConfig({
  name: "app",
  providers: {
    runtime: ${runtime},
    database: ${database},
    auth: defineAuth("better-auth", {
      plugins: [${plugins}],
    }),
  },
${rest}});
`;

describe('enable / disable: the config switches', () => {
  it.each([
    ['enable placement', base(), base('defineRuntime("node", { placement: { mode: "smart" } })'), 'placement: enabled'],
    [
      'enable placement',
      base('defineRuntime("node", {\n      compatibilityDate: "2026-05-13",\n    })'),
      base(
        'defineRuntime("node", {\n      compatibilityDate: "2026-05-13",\n      placement: { mode: "smart" },\n    })',
      ),
      'placement: enabled',
    ],
    [
      'enable placement',
      base('defineRuntime("node", { placement: {} })'),
      base('defineRuntime("node", { placement: { mode: "smart" } })'),
      'placement: enabled',
    ],
    [
      'enable placement',
      base('defineRuntime("node", { placement: { mode: "standard" } })'),
      base('defineRuntime("node", { placement: { mode: "smart" } })'),
      'placement: enabled',
    ],
    [
      'disable placement',
      base('defineRuntime("node", { placement: { mode: "smart" } })'),
      base('defineRuntime("node", { placement: { mode: "standard" } })'),
      'placement: disabled',
    ],
    [
      'enable observability',
      base(),
      base('defineRuntime("node", { observability: { enabled: true } })'),
      'observability: enabled',
    ],
    [
      'enable observability',
      base('defineRuntime("node", { observability: { logs: { enabled: true } } })'),
      base('defineRuntime("node", { observability: { logs: { enabled: true }, enabled: true } })'),
      'observability: enabled',
    ],
    [
      'enable observability',
      base('defineRuntime("node", { observability: { enabled: false } })'),
      base('defineRuntime("node", { observability: { enabled: true } })'),
      'observability: enabled',
    ],
    [
      'disable observability',
      base('defineRuntime("node", { observability: { enabled: true, headSamplingRate: 0.5 } })'),
      base('defineRuntime("node", { observability: { enabled: false, headSamplingRate: 0.5 } })'),
      'observability: disabled',
    ],
    [
      'enable webhooks',
      base(),
      base(undefined, 'defineDatabase("better-sqlite3", { generateId: "prefixed", webhooksBinding: "WEBHOOKS_DB" })'),
      'webhooks: enabled',
    ],
    [
      'enable webhooks',
      base(undefined, 'defineDatabase("better-sqlite3")'),
      base(undefined, 'defineDatabase("better-sqlite3", { webhooksBinding: "WEBHOOKS_DB" })'),
      'webhooks: enabled',
    ],
    [
      'disable webhooks',
      base(
        undefined,
        'defineDatabase("better-sqlite3", {\n      generateId: "prefixed", // ids\n      webhooksBinding: "HOOKS_DB",\n      // webhookAdminRoles: ["owner"],\n    })',
      ),
      base(
        undefined,
        'defineDatabase("better-sqlite3", {\n      generateId: "prefixed", // ids\n      // webhookAdminRoles: ["owner"],\n    })',
      ),
      'webhooks: disabled',
    ],
    [
      'disable webhooks',
      base(undefined, 'defineDatabase("better-sqlite3", { webhooksBinding: "WEBHOOKS_DB", generateId: "uuid" })'),
      base(undefined, 'defineDatabase("better-sqlite3", { generateId: "uuid" })'),
      'webhooks: disabled',
    ],
    [
      'enable jwt-revocation',
      base(),
      base(undefined, undefined, undefined, '  auth: { jwt: { revocationCheck: "kv" } },\n'),
      'jwt-revocation: enabled',
    ],
    [
      'enable jwt-revocation',
      base(undefined, undefined, undefined, '  auth: { roleHierarchy: ["member", "owner"] },\n'),
      base(
        undefined,
        undefined,
        undefined,
        '  auth: { roleHierarchy: ["member", "owner"], jwt: { revocationCheck: "kv" } },\n',
      ),
      'jwt-revocation: enabled',
    ],
    [
      'enable jwt-revocation',
      base(undefined, undefined, undefined, '  auth: {\n    jwt: { expiresIn: 60 },\n  },\n'),
      base(undefined, undefined, undefined, '  auth: {\n    jwt: { expiresIn: 60, revocationCheck: "kv" },\n  },\n'),
      'jwt-revocation: enabled',
    ],
    [
      'enable jwt-revocation',
      base(undefined, undefined, undefined, '  auth: { jwt: { revocationCheck: "none" } },\n'),
      base(undefined, undefined, undefined, '  auth: { jwt: { revocationCheck: "kv" } },\n'),
      'jwt-revocation: enabled',
    ],
    [
      'disable jwt-revocation',
      base(undefined, undefined, undefined, '  auth: { jwt: { revocationCheck: "kv" } },\n'),
      base(undefined, undefined, undefined, '  auth: { jwt: { revocationCheck: "none" } },\n'),
      'jwt-revocation: disabled',
    ],
    ['enable openapi', base(), base(undefined, undefined, '"organization", "openAPI"'), 'openapi: enabled'],
    ['disable openapi', base(undefined, undefined, '"openAPI", "organization"'), base(), 'openapi: disabled'],
    [
      'enable openapi',
      base(undefined, undefined, undefined).replace('[', '{').replace(
        '"organization"]',
        'organization: true, openAPI: false }',
      ),
      base().replace('[', '{').replace('"organization"]', 'organization: true, openAPI: true }'),
      'openapi: enabled',
    ],
    [
      'disable openapi',
      base().replace('[', '{').replace('"organization"]', 'organization: true, openAPI: true }'),
      base().replace('[', '{').replace('"organization"]', 'organization: true, openAPI: false }'),
      'openapi: disabled',
    ],
  ])('%s: %#', (command, before, after, message) => {
    expect(run(command, before)).toEqual({ after, message });
    const again = run(command, after);
    expect(again.after).toBe(after);
    expect(again.message).toMatch(/: already (enabled|disabled)$/);
  });

  it.each([
    ['disable placement'],
    ['disable observability'],
    ['disable webhooks'],
    ['disable jwt-revocation'],
    ['disable openapi'],
    ['disable files'],
  ])('%s on a config without it: already disabled, 0 bytes', (command) => {
    const before = base(undefined, undefined, '"organization"', '  auth: { roleHierarchy: ["member"] },\n');
    expect(run(command, before)).toEqual({ after: before, message: `${command.split(' ')[1]}: already disabled` });
  });

  it('webhooks: any binding name counts as enabled', () => {
    const custom = base(undefined, 'defineDatabase("better-sqlite3", { webhooksBinding: "HOOKS_DB" })');
    expect(run('enable webhooks', custom)).toEqual({ after: custom, message: 'webhooks: already enabled' });
  });
});

describe('enable / disable files', () => {
  const withFiles = (imports: string, providers: string) => `import { ${imports} } from "@quickback/compiler";

export default defineConfig({
  name: "app",
  providers: {
    runtime: defineRuntime("node"),
    database: defineDatabase("libsql"),${providers}
  },
});
`;
  const sorted = withFiles('defineConfig, defineDatabase, defineRuntime', '');
  const enabled = withFiles(
    'defineConfig, defineDatabase, defineFileStorage, defineRuntime',
    '\n    fileStorage: defineFileStorage("r2", { binding: "FILES" }),',
  );

  it('adds fileStorage to providers and defineFileStorage to the import (in alphabetical place); disable gives the original back', () => {
    const on = run('enable files', sorted);
    expect(on).toEqual({ after: enabled, message: 'files: enabled' });
    expect(run('enable files', enabled)).toEqual({ after: enabled, message: 'files: already enabled' });
    expect(run('disable files', enabled)).toEqual({ after: sorted, message: 'files: disabled' });
  });

  it('appends to an unsorted import list, and gives a multi-line list its own line', () => {
    expect(run('enable files', withFiles('defineRuntime, defineConfig, defineDatabase', '')).after).toContain(
      'import { defineRuntime, defineConfig, defineDatabase, defineFileStorage } from',
    );
    const multi = sorted.replace(
      '{ defineConfig, defineDatabase, defineRuntime }',
      '{\n  defineConfig,\n  defineDatabase,\n  defineRuntime,\n}',
    );
    expect(run('enable files', multi).after).toContain(
      '{\n  defineConfig,\n  defineDatabase,\n  defineFileStorage,\n  defineRuntime,\n}',
    );
  });

  it('keeps the import when something else still uses defineFileStorage; refuses a variable', () => {
    const shared = withFiles(
      'defineConfig, defineDatabase, defineFileStorage, defineRuntime',
      '\n    fileStorage: media,',
    ).replace('export default', 'const media = defineFileStorage("r2", { binding: "MEDIA" });\n\nexport default');
    const error = thrown('enable files', shared);
    expect(error.code).toBe('QB_GEN_CONFLICT');
    expect(error.message).toContain(`${CONFIG}:10: \`providers.fileStorage\` is \`media\``);
    expect(error.hint).toContain('fileStorage: defineFileStorage("r2", { binding: "FILES" })');
    const off = run('disable files', shared);
    expect(off.after).toBe(shared.replace('\n    fileStorage: media,', ''));
  });
});

describe('refusals', () => {
  it.each([
    [
      'enable placement',
      base('defineRuntime("node", runtimeOptions)'),
      6,
      'the defineRuntime options is `runtimeOptions`',
    ],
    [
      'enable observability',
      base('defineRuntime("node", { ...shared })'),
      6,
      'a spread where `observability` may be set',
    ],
    [
      'disable observability',
      base('defineRuntime("node", { ...shared })'),
      6,
      'a spread where `observability` may be set',
    ],
    ['enable placement', base('defineRuntime("node", { placement: smart() })'), 6, '`placement` is `smart()`'],
    [
      'disable placement',
      base('defineRuntime("node", { placement: { mode: mode } })'),
      6,
      '`placement.mode` is `mode`',
    ],
    [
      'enable webhooks',
      base(undefined, 'defineDatabase("libsql", { webhooksBinding: binding })'),
      7,
      '`webhooksBinding` is `binding`',
    ],
    ['enable jwt-revocation', base(undefined, undefined, undefined, '  auth: appAuth,\n'), 12, '`auth` is `appAuth`'],
    [
      'enable jwt-revocation',
      base(undefined, undefined, undefined, '  auth: { jwt: jwtOptions },\n'),
      12,
      '`auth.jwt` is `jwtOptions`',
    ],
    [
      'enable files',
      base().replace(/providers: \{[\s\S]*?\n {2}\},\n/, 'providers,\n'),
      5,
      '`providers` is `providers`',
    ],
    [
      'disable openapi',
      base().replace('[', '{').replace('"organization"]', 'openAPI: { path: "/docs" } }'),
      9,
      '`plugins.openAPI` is `{ path: "/docs" }`',
    ],
    ['enable openapi', base().replace('plugins: ["organization"]', 'plugins'), 9, '`plugins` is `plugins`'],
  ])('%s: %#', (command, config, line, what) => {
    const error = thrown(command, config);
    expect(error.code).toBe('QB_GEN_CONFLICT');
    expect(error.message).toContain(`${CONFIG}:${line}: ${what}`);
    expect(error.hint).toMatch(/^Make the edit by hand: /);
  });

  it('never touches a file that does not parse (QB_GEN_PARSE)', () => {
    for (const command of ['enable placement', 'enable files', 'disable webhooks', 'enable jwt-revocation']) {
      expect(thrown(command, 'export default defineConfig({').code).toBe('QB_GEN_PARSE');
    }
  });
});

describe("the file's style", () => {
  // CRLF, tabs, single quotes, no semicolons, no trailing commas, a comment on the last entry.
  const styled = [
    "import { defineConfig, defineDatabase, defineRuntime } from '@quickback/compiler'",
    '',
    'export default defineConfig({',
    "\tname: 'app',",
    '\tproviders: {',
    "\t\truntime: defineRuntime('node', {",
    "\t\t\tcompatibilityDate: '2026-05-13' // pinned",
    '\t\t}),',
    "\t\tdatabase: defineDatabase('libsql')",
    '\t}',
    '})',
    '',
  ].join('\r\n');
  const edits: [string, ConfigSwitch][] = [
    ['placement', placement],
    ['observability', observability],
    ['webhooks', webhooks],
    ['jwt-revocation', jwtRevocation],
    ['files', files],
  ];

  it.each(edits)("%s: only the insertion differs, in the file's style", (_name, edit) => {
    const first: Edit = edit(parseSource(CONFIG, styled), true);
    const result = applySplices(styled, first.splices);
    expect(revertSplices(result, first.splices, styled)).toBe(styled);
    expect(result.replace(/\r\n/g, '')).not.toContain('\n');
    expect(result).not.toContain('"');
    expect(edit(parseSource(CONFIG, result), true)).toEqual({ status: 'unchanged', splices: [] });
  });

  it('all of them together', () => {
    let text = styled;
    for (const [, edit] of edits) text = applySplices(text, edit(parseSource(CONFIG, text), true).splices);
    expect(text).toBe([
      "import { defineConfig, defineDatabase, defineFileStorage, defineRuntime } from '@quickback/compiler'",
      '',
      'export default defineConfig({',
      "\tname: 'app',",
      '\tproviders: {',
      "\t\truntime: defineRuntime('node', {",
      "\t\t\tcompatibilityDate: '2026-05-13', // pinned",
      "\t\t\tplacement: { mode: 'smart' },",
      '\t\t\tobservability: { enabled: true }',
      '\t\t}),',
      "\t\tdatabase: defineDatabase('libsql', { webhooksBinding: 'WEBHOOKS_DB' }),",
      "\t\tfileStorage: defineFileStorage('r2', { binding: 'FILES' })",
      '\t},',
      "\tauth: { jwt: { revocationCheck: 'kv' } }",
      '})',
      '',
    ].join('\r\n'));
  });

  it('openapi in a single-quoted, 4-space file', () => {
    const quoted =
      "import { defineAuth, defineConfig } from '@quickback/compiler';\n\nexport default defineConfig({\n    name: 'app',\n    providers: {\n        auth: defineAuth('better-auth', {\n            plugins: [\n                'organization',\n            ],\n        }),\n    },\n});\n";
    const on = applySplices(quoted, openapi(parseSource(CONFIG, quoted), true).splices);
    expect(on).toBe(quoted.replace("'organization',\n", "'organization',\n                'openAPI',\n"));
    expect(applySplices(on, openapi(parseSource(CONFIG, on), false).splices)).toBe(quoted);
  });
});

describe('the edited config passes the validation schema', () => {
  it(
    'every switch on (then off): the compile refuses only what is not built (and asks the revocation check for its store)',
    async () => {
      const root = copyFixture('helpdesk', 'gen-switch-schema');
      const tree = new Tree(root);
      const switches = ['placement', 'observability', 'webhooks', 'files', 'openapi', 'jwt-revocation'];
      const diagnose = async (verb: string): Promise<{ code: string; at: string }[]> => {
        for (const what of switches) {
          const generator = toggleGenerators.find((g) => g.command === `${verb} ${what}`)!;
          generator.run(tree, generator.options([], {}));
        }
        writeFileSync(path.join(root, CONFIG), tree.read(CONFIG)!);
        try {
          await analyze(root);
        } catch (e) {
          if (!isQuickbackError(e)) throw e;
          return e.diagnostics.map((d) => ({ code: d.code as string, at: d.at ?? '' }));
        }
        return [];
      };
      const on = await diagnose('enable');
      // The revocation check is built; on this Node project it asks for its store.
      expect(on.filter((d) => d.at === 'auth.jwt.revocationCheck')).toEqual([{
        code: 'QB_VALIDATE_MISSING_OPTION',
        at: 'auth.jwt.revocationCheck',
      }]);
      // Warnings (the R2 binding has no effect off Workers) are not refusals.
      const notBuilt = on.filter((d) => d.at !== 'auth.jwt.revocationCheck' && !d.code.startsWith('QB_WARN_'));
      expect(notBuilt.map((d) => d.code)).toEqual(notBuilt.map(() => 'QB_VALIDATE_NOT_SUPPORTED'));
      expect(notBuilt.map((d) => d.at).sort()).toEqual(
        expect.arrayContaining(['providers.runtime.observability', 'providers.runtime.placement']),
      );
      // Built now: file storage, and webhooks (webhooksBinding is their switch on every database).
      expect(notBuilt.map((d) => d.at)).not.toContain('providers.fileStorage');
      expect(notBuilt.map((d) => d.at)).not.toContain('providers.database.webhooksBinding');
      const off = await diagnose('disable');
      expect(off.map((d) => d.code)).toEqual(off.map(() => 'QB_VALIDATE_NOT_SUPPORTED'));
      expect(tree.read(CONFIG)).not.toMatch(/fileStorage|webhooksBinding|openAPI/);
    },
    60_000,
  );
});
