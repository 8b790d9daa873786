/**
 * Emitted apps for three fixtures: file snapshots under their real names and extensions (next to the behavioural suites, never instead
 * of them) and `tsc --noEmit --strict` over each whole generated app with its own tsconfig (all of
 * them at the end of the file, in one TypeScript program per set of compiler options:
 * test/helpers/typecheck-apps.ts), and none of them importing a runtime module by path: generated
 * code imports the runtime only as `#quickback`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import { copyFixture } from '../helpers/project.js';
import { typecheckApps } from '../helpers/typecheck-apps.js';
import { CLOUDFLARE, EXTERNAL_AUTH } from '../helpers/worker.js';

/** Runtime files are copied verbatim from src/runtime (tested there); snapshot what is generated. */
const snapshotted = (file: string) => !file.startsWith('src/lib/quickback/') && !file.endsWith('_snapshot.json');

/** Every emitted app by label, in the order compiled; type-checked together by the last describe. */
const apps = new Map<string, string>();

const FIXTURES = ['helpdesk', 'solo', 'interop'];

describe.each(FIXTURES)('emitted app: %s', (fixture) => {
  it('compiles, and matches the file snapshots', async () => {
    const root = copyFixture(fixture, `emit-${fixture}`);
    const files = (await compile({ cwd: root })).written.sort();
    expect(files).toContain('src/index.ts');
    for (const file of files.filter(snapshotted)) {
      await expect(readFileSync(path.join(root, file), 'utf8')).toMatchFileSnapshot(`__snapshots__/${fixture}/${file}`);
    }
    apps.set(fixture, root);
  });
});

/** Token revocation with a Redis store, every built plugin and social sign-in (behaviour: test/conformance/revocation.test.ts, auth-plugins.test.ts, auth-refusals.test.ts). */
const REDIS_REVOCATION: [string, string][] = [
  ['auth: { roleHierarchy', 'auth: { jwt: { revocationCheck: "kv" }, roleHierarchy'],
  [
    '    auth: defineAuth("better-auth", {',
    '    storage: defineStorage("redis"),\n    auth: defineAuth("better-auth", {\n      plugins: { admin: true, apiKey: { rateLimit: { maxRequests: 100 } }, upgradeAnonymous: true, twoFactor: true, deviceAuthorization: { interval: "2s" }, jwt: true, bearer: true, openAPI: true,'
    + ' magicLink: { expiresIn: 600 }, emailOtp: { otpLength: 8 }, passkey: { rpName: "Helpdesk Passkeys" }, oauthProvider: { consentPage: "/oauth/consent", validAudiences: ["https://api.example.com"] } },'
    + '\n      socialProviders: { github: true, google: true },',
  ],
  ['import { defineAuth,', 'import { defineStorage, defineAuth,'],
  [
    'export default defineConfig({',
    'export default defineConfig({\n  email: { provider: "aws-ses", from: "noreply@example.com", fromName: "Helpdesk" },',
  ],
  [
    '    storage: defineStorage("redis"),',
    '    storage: defineStorage("redis"),\n    fileStorage: defineFileStorage("r2", { maxFileSize: "5mb" }),',
  ],
  ['import { defineStorage,', 'import { defineFileStorage, defineStorage,'],
];

/** Realtime (behaviour: test/conformance/realtime.test.ts). */
const REALTIME: [string, string][] = [['generateId: "prefixed" }', 'generateId: "prefixed", realtime: true }']];
/** Outbound webhooks (behaviour: test/conformance/webhooks.test.ts). */
const WEBHOOKS: [string, string][] = [[
  'export default defineConfig({',
  'export default defineConfig({\n  webhooks: { allowInsecure: false },',
]];

/** File storage (behaviour: test/conformance/files.test.ts). */
const FILES: [string, string][] = [
  ['import { defineAuth,', 'import { defineFileStorage, defineAuth,'],
  [
    '    auth: defineAuth("better-auth", {',
    '    fileStorage: defineFileStorage("r2", { maxFileSize: "5mb", allowedTypes: ["image/*"] }),\n    auth: defineAuth("better-auth", {',
  ],
];

/** Workers with the email plugins: Cloudflare Email Sending through the send_email binding (behaviour: test/conformance/email.test.ts), and R2 files. */
const WORKERS_EMAIL: [string, string][] = [
  ...CLOUDFLARE,
  [
    '    auth: defineAuth("better-auth", {',
    '    auth: defineAuth("better-auth", {\n      plugins: ["magicLink", "emailOtp", "passkey", "oauthProvider"],',
  ],
  ...FILES,
  ...REALTIME,
  ...WEBHOOKS,
];

/** PostgreSQL (behaviour: test/conformance/postgres.test.ts, test/rls). */
const NEON: [string, string][] = [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']];
const NEON_HTTP: [string, string][] = [[
  'defineDatabase("better-sqlite3", {',
  'defineDatabase("neon", { connectionMode: "http",',
]];
const SUPABASE_BUN_PLUGINS: [string, string][] = [
  ['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"'],
  ['defineRuntime("node")', 'defineRuntime("bun")'],
  ...REDIS_REVOCATION,
  ...REALTIME,
];

/** Variants whose behaviour is tested elsewhere (test/conformance) type-check too; Workers against @cloudflare/workers-types. */
const HELPDESK_VARIANTS = [
  ['node + neon', NEON],
  ['node + neon over HTTP', NEON_HTTP],
  ['bun + supabase, revocation in Redis, every plugin, SES, realtime', SUPABASE_BUN_PLUGINS],
  ['cloudflare + neon, webhooks', [CLOUDFLARE[0], ...NEON, ...WEBHOOKS]],
  ['cloudflare + D1', CLOUDFLARE],
  ['cloudflare + D1, external auth', EXTERNAL_AUTH],
  ['node, revocation in Redis, every plugin, SES, files, realtime, webhooks', [
    ...REDIS_REVOCATION,
    ...REALTIME,
    ...WEBHOOKS,
  ]],
  ['cloudflare + D1, email and account plugins, R2 files, realtime, webhooks', WORKERS_EMAIL],
] as const;

describe.each(HELPDESK_VARIANTS)('emitted variant: helpdesk on %s', (label, config) => {
  it('compiles', async () => {
    const root = copyFixture('helpdesk', `emit-${label.replace(/\W+/g, '-')}`, { config: [...config] });
    await compile({ cwd: root });
    apps.set(`helpdesk on ${label}`, root);
  });
});

/** Relationship tickets (behaviour: test/conformance/realtime.test.ts), with the watchers table they need. */
const WSTICKET_VARIANTS = [['node', []], ['cloudflare + D1', CLOUDFLARE]] as const;

describe.each(WSTICKET_VARIANTS)('emitted variant: helpdesk with realtime wsTicket on %s', (label, config) => {
  it('compiles', async () => {
    const watchers =
      'import { feature, q } from "@quickback/compiler";\n\nexport default feature("watchers", {\n  columns: { id: q.id(), ticketId: q.text().required().references("tickets"), userId: q.text().required(), organizationId: q.scope("organization") },\n  firewall: { organization: { column: "organizationId" } },\n});\n';
    const root = copyFixture('helpdesk', `emit-wsticket-${label.replace(/\W+/g, '-')}`, {
      config: [
        ...config,
        [
          'generateId: "prefixed" }',
          'generateId: "prefixed", realtime: { wsTicket: { role: "watcher", requestField: "ticketId", scopeTable: "tickets" } } }',
        ],
        [
          'export default defineConfig({',
          'export default defineConfig({\n  authz: { roles: { watcher: { via: "watchers" } } },',
        ],
      ],
      files: { 'quickback/features/watchers/watchers.ts': watchers },
    });
    await compile({ cwd: root });
    apps.set(`helpdesk with wsTicket on ${label}`, root);
  });
});

/**
 * The app in a folder of its own (`build.outputDir`): its files import the runtime as `#quickback`
 * through its own package.json, while the seam and the inbound webhooks seed (project files, outside
 * that folder) import it by relative path; with webhooks, actions and realtime, so most printers run.
 */
describe('emitted variant: helpdesk with add-ons in build.outputDir "server"', () => {
  it('compiles', async () => {
    const root = copyFixture('helpdesk', 'emit-output-dir', {
      config: [
        ['export default defineConfig({', 'export default defineConfig({\n  build: { outputDir: "server" },'],
        ...REALTIME,
        ...WEBHOOKS,
      ],
    });
    // The handlers are the owner's: written for the app in "server", as their seeds are (app-seam.ts quickbackSpecifier).
    const handlers = path.join(root, 'quickback/features/tickets/handlers');
    for (const file of readdirSync(handlers)) {
      const text = readFileSync(path.join(handlers, file), 'utf8');
      writeFileSync(
        path.join(handlers, file),
        text.replaceAll('"#quickback"', '"../../../../server/src/lib/quickback/index.js"').replaceAll(
          '"../../../../src/',
          '"../../../../server/src/',
        ),
      );
    }
    await compile({ cwd: root });
    expect(readFileSync(path.join(root, 'quickback/app.ts'), 'utf8')).toContain(
      "from '../server/src/lib/quickback/index.js'",
    );
    apps.set('helpdesk in build.outputDir', path.join(root, 'server'));
  });
});

/** Encrypted columns (behaviour: test/conformance/encryption*.test.ts), with handlers using ctx.crypto and the action db. */
const VAULT_EXTERNAL_AUTH: [string, string][] = [
  ...CLOUDFLARE,
  [
    'defineDatabase("cloudflare-d1", {',
    'defineDatabase("cloudflare-d1", { databaseId: "0a0a0a0a-0000-4000-8000-00000000000b",',
  ],
  [
    'defineAuth("better-auth", { emailAndPassword: { enabled: true } })',
    'defineAuth("external", { service: "vault-auth" })',
  ],
];

const VAULT_VARIANTS = [
  ['node', []],
  ['node + neon', NEON],
  ['cloudflare + neon', [CLOUDFLARE[0], ...NEON]],
  ['cloudflare + D1', CLOUDFLARE],
  ['cloudflare + D1, external auth', VAULT_EXTERNAL_AUTH],
] as const;

describe.each(VAULT_VARIANTS)('emitted variant: vault on %s', (label, config) => {
  it('compiles', async () => {
    const root = copyFixture('vault', `emit-vault-${label.replace(/\W+/g, '-')}`, { config: [...config] });
    await compile({ cwd: root });
    apps.set(`vault on ${label}`, root);
  });
});

/** Every label `apps` gets above: each app is type-checked, and none goes missing. */
const APPS = [
  ...FIXTURES,
  ...HELPDESK_VARIANTS.map(([label]) => `helpdesk on ${label}`),
  ...WSTICKET_VARIANTS.map(([label]) => `helpdesk with wsTicket on ${label}`),
  ...VAULT_VARIANTS.map(([label]) => `vault on ${label}`),
  'helpdesk in build.outputDir',
];

describe('type-checks under tsc --strict with its own tsconfig', () => {
  let diagnostics: Map<string, string>;
  beforeAll(() => {
    diagnostics = typecheckApps([...apps.values()], { strict: true });
  }, 600_000);
  it.each(APPS)('%s', (label) => {
    expect(apps.has(label), 'compiled').toBe(true);
    expect(diagnostics.get(apps.get(label)!), `tsc failed for ${label}`).toBe('');
  });
});

/** The generated files of an app outside its vendored runtime, project-relative. */
function generatedFiles(root: string): string[] {
  const vendored = path.join(root, 'src/lib/quickback');
  const files = [
    ...readdirSync(root).filter((f) => f.endsWith('.ts')),
    ...readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => path.join('src', f)),
  ].filter((f) => /\.[cm]?tsx?$/.test(f) && !path.join(root, f).startsWith(`${vendored}/`));
  expect(files).toContain(path.join('src', 'index.ts'));
  return files;
}

/** The files of an app outside its vendored runtime that import a runtime module by path, with that path. */
function runtimeByPath(root: string): string[] {
  const vendored = path.join(root, 'src/lib/quickback');
  return generatedFiles(root).flatMap((file) =>
    ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true).importedFiles
      .filter((ref) => ref.fileName.startsWith('.'))
      .filter((ref) => path.resolve(root, path.dirname(file), ref.fileName).startsWith(`${vendored}/`))
      .map((ref) => `${file}: ${ref.fileName}`)
  );
}

/** Modules a generated file names in more than one import statement (`file: module`): one statement per module reads better. */
function importedTwice(root: string): string[] {
  return generatedFiles(root).flatMap((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const specifiers = source.statements.filter(ts.isImportDeclaration)
      .map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text);
    return [...new Set(specifiers.filter((s, i) => specifiers.indexOf(s) !== i))].map((s) => `${file}: ${s}`);
  });
}

/** Issue #32: generated code imports the runtime only as `#quickback`, never one of its modules by path. */
describe('imports the runtime only through #quickback', () => {
  it.each(APPS)('%s', (label) => {
    expect(apps.has(label), 'compiled').toBe(true);
    expect(runtimeByPath(apps.get(label)!)).toEqual([]);
  });
});

/** Issue #32, idiomatic imports: each module once per file, types inline (`import { a, type B }`). */
describe('imports each module in one statement', () => {
  it.each(APPS)('%s', (label) => {
    expect(apps.has(label), 'compiled').toBe(true);
    expect(importedTwice(apps.get(label)!)).toEqual([]);
  });
});
