/**
 * @module emitters/hono/print/app
 * `src/routes.ts` (every feature's routes, mounted under /api/v1) and `src/index.ts` (createApp,
 * extended by the owner's seam quickback/app.ts: app-seam.ts).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { frontEndKeys } from '../../server-common/print/env.js';
import { withBanner } from '../../banner.js';
import { importLine, indentTail, lines, literal, runtimeImport, type RuntimeName } from '../../print-utils.js';
import {
  authAliasesOption,
  emailOption,
  jwtOption,
  authChecksOption,
  sharedCountersOption,
  storeImports,
  storeLines,
  storeRuntime,
} from './app-auth.js';
import { filesLines, filesOption, filesRuntime } from './app-files.js';
import { authChangeArg, realtimeImports, realtimeLiveLines, realtimeOption, realtimeRuntime } from './app-realtime.js';
import { deferOption, webhooksImports, webhooksLoopLines, webhooksOption, webhooksRuntime } from './app-webhooks.js';
import { migrationsImports, migrationsLines, migrationsRuntime } from './app-migrations.js';
import { seamImport } from './app-seam.js';

/** Standalone actions first (their paths may sit under a feature's path), then the features. */
/** Workers: MISSING_ENV names .dev.vars and `wrangler secret put`; on D1 a failed audit write names the audit binding. */
function workersHints(model: AppModel): string {
  const audit = model.auditLog && model.database.dialect !== 'postgresql'
    ? model.cloudflare?.d1.find((d) => d.logical === 'audit')?.binding
    : undefined;
  const settings = ` settingsHint: ${
    JSON.stringify('in .dev.vars for wrangler dev; wrangler secret put <NAME> when deployed')
  },`;
  return `${settings}${
    audit ? ` auditTarget: ${JSON.stringify(`the ${audit} D1 binding (wrangler.toml [[d1_databases]])`)},` : ''
  }`;
}

export function printRoutesIndex(model: AppModel): string {
  const features = model.features.filter((f) => !f.internal);
  const standalone = [
    ...features.filter((f) => f.actions.some((a) => a.kind === 'standalone')).map((f) => ({
      name: `${f.name}StandaloneActions`,
      from: `./features/${f.slug}/${f.slug}.actions.js`,
    })),
    ...(model.actions.length > 0 ? [{ name: 'standaloneStandaloneActions', from: './actions/standalone.js' }] : []),
  ];
  return withBanner(
    'ts',
    model.configFile,
    lines(
      importLine(['Hono'], 'hono', true),
      runtimeImport(['type QuickbackEnv']),
      ...standalone.map((s) => importLine([s.name], s.from)),
      ...features.map((f) => importLine([`${f.name}Routes`], `./features/${f.slug}/${f.slug}.routes.js`)),
      '',
      'export const routes: { path: string; app: Hono<QuickbackEnv> }[] = [',
      ...standalone.map((s) => `  { path: "/api/v1", app: ${s.name} },`),
      ...features.map((f) => `  { path: ${JSON.stringify(f.routePath)}, app: ${f.name}Routes },`),
      '];',
    ),
  );
}

/**
 * The imports both app indexes end with: the runtime (the app factory, the stores, the add-ons),
 * the routes (the documents load lazily: documentsOption).
 */
function sharedImports(model: AppModel): (string | false)[] {
  return [
    runtimeImport([
      'createQuickbackApp',
      'type Services',
      ...storeRuntime(model),
      ...filesRuntime(model),
      ...realtimeRuntime(model),
      ...webhooksRuntime(model),
      ...encryptionRuntime(model),
      ...migrationsRuntime(model),
    ]),
    ...storeImports(model),
    ...realtimeImports(model),
    ...webhooksImports(model),
    model.email && model.auth.provider === 'better-auth' ? importLine(['mailerFor'], './auth/email.js') : false,
    ...encryptionImports(model),
    model.idempotency ? importLine([model.idempotency.table.exportName], './db/idempotency-keys.schema.js') : false,
    ...migrationsImports(),
    importLine(['routes'], './routes.js'),
    seamImport(model),
  ];
}

function urlEnvImport(model: AppModel): string[] {
  return frontEndKeys(model).length > 0 ? ['urlEnv'] : [];
}

/**
 * What src/openapi.ts exports (see emitters/openapi), each loaded on the first request for it:
 * the documents are the app's largest module (megabytes at 100 features), so not compiled at boot.
 */
/** The add-ons' values (runtime core/addon.ts), in the order they mount: files, realtime, webhooks. */
function addonsOption(model: AppModel): string {
  const addons = [filesOption(model), realtimeOption(model), webhooksOption(model)].filter((value) => value !== '');
  return addons.length > 0 ? ` addons: [${addons.join(', ')}],` : '';
}

function documentsOption(model: AppModel): string {
  const { openapi, schemaRegistry } = model.documents;
  const load = (name: string) => `() => import("./openapi.js").then((m) => m.${name})`;
  const parts = [
    openapi ? `openapi: ${load('openapi')}` : '',
    openapi === 'signed-in' ? 'openapiPublic: false' : '',
    schemaRegistry ? `schema: ${load('schemaRegistry')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` documents: { ${parts.join(', ')} },` : '';
}

/** The data keys of encrypted columns: one keyring per process (Node, Bun) or per bindings object (Workers), so its cache outlives a request. */
/** Workers + neon: the request's pool is its own, so its keyring is too (D1 bindings outlive a request; sockets do not). */
const perRequestPool = (model: AppModel) => model.cloudflare !== undefined && model.database.dialect === 'postgresql';

function keysPart(model: AppModel): string {
  if (!model.encryption) return '';
  if (perRequestPool(model)) return ', keys: createKeyring(databases.features, orgDataKeys, envOf(c))';
  return model.cloudflare
    ? ', keys: keyringOf(bindings, databases.features, envOf(c))'
    : ', keys: createKeyring(databases.features, orgDataKeys, env)';
}

function keyringLines(model: AppModel): string[] {
  if (!model.encryption || !model.cloudflare || perRequestPool(model)) return [];
  return [
    '  const keyrings = new WeakMap<Bindings, Keyring>();',
    '  const keyringOf = (bindings: Bindings, db: Services["db"], env: Env): Keyring => {',
    '    let keyring = keyrings.get(bindings);',
    '    if (!keyring) keyrings.set(bindings, (keyring = createKeyring(db, orgDataKeys, env)));',
    '    return keyring;',
    '  };',
  ];
}

function encryptionImports(model: AppModel): (string | false)[] {
  return model.encryption ? [importLine(['orgDataKeys'], './db/data-keys.schema.js')] : [];
}

function encryptionRuntime(model: AppModel): RuntimeName[] {
  if (!model.encryption) return [];
  return ['createKeyring', model.cloudflare && !perRequestPool(model) && 'type Keyring'];
}

function servicesLine(model: AppModel, from: string): string {
  const extra = `${model.auditLog ? `, audit: createAuditLog(${from})` : ''}${keysPart(model)}`;
  if (model.auth.provider === 'external') {
    // The auth Worker answers for the caller's own credentials: lookups are bound to this request.
    return `services = { db: databases.features, auth: authForApp(bindings), memberRoles: memberRolesFor(bindings, c.req.raw.headers), teamMembership: teamMembershipFor(bindings, c.req.raw.headers)${extra} };`;
  }
  return `services = { db: databases.features, auth: authForApp(databases.auth, env${
    authArgs(model)
  }), memberRoles: memberRolesFor(databases.auth), teamMembership: teamMembershipFor(databases.auth)${extra} };`;
}

/** What authForApp takes after (db, env): the bindings (Workers), the store (Node, Bun), the denylist. */
function authArgs(model: AppModel): string {
  const revocation = model.jwt?.revocation ? (model.cloudflare ? ', revocationFor(bindings)' : ', revocation') : '';
  const store = !model.cloudflare && model.storage && model.auth.provider === 'better-auth' ? ', store' : '';
  return `${model.cloudflare ? ', bindings' : ''}${store}${revocation}${authChangeArg(model)}`;
}

/**
 * Workers: no env at startup. Each request builds its services (D1 databases, Better Auth) from
 * its own bindings, once per request however many handlers ask.
 */
function printWorkerAppIndex(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      importLine(['Context'], 'hono', true),
      importLine(['authForApp', 'memberRolesFor', 'teamMembershipFor'], './auth/index.js'),
      importLine([
        'createDatabases',
        'transactions',
        ...(model.auditLog ? ['createAuditLog'] : []),
        ...(model.database.dialect === 'postgresql' ? ['begin'] : []),
      ], './db/index.js'),
      importLine(
        ['corsOrigins', 'envFromBindings', 'requiredEnv', ...urlEnvImport(model), 'type Bindings', 'type Env'],
        './env.js',
      ),
      ...sharedImports(model),
      '',
      '/** The API as a Hono app; every request brings its bindings (`c.env`). */',
      'export function createApp() {',
      ...storeLines(model),
      '  // The string settings depend only on the bindings object: derived once per bindings.',
      '  const envs = new WeakMap<Bindings, Env>();',
      '  const envOf = (c: Context): Env => {',
      '    const bindings = c.env as Bindings;',
      '    let env = envs.get(bindings);',
      '    if (!env) envs.set(bindings, (env = envFromBindings(bindings)));',
      '    return env;',
      '  };',
      ...keyringLines(model),
      '  const perRequest = new WeakMap<Request, Services>();',
      '  const servicesFor = (c: Context): Services => {',
      '    let services = perRequest.get(c.req.raw);',
      '    if (!services) {',
      '      const bindings = c.env as Bindings;',
      model.auth.provider === 'external' ? false : '      const env = envOf(c);',
      '      const databases = createDatabases(bindings);',
      `      ${servicesLine(model, 'bindings')}`,
      perRequestPool(model) ? '      closers.set(c.req.raw, databases.close);' : false,
      '      perRequest.set(c.req.raw, services);',
      '    }',
      '    return services;',
      '  };',
      ...(perRequestPool(model)
        ? [
          "  // The request's pool ends once the response is out (Workers cannot share a socket between requests).",
          '  const closers = new WeakMap<Request, () => Promise<void>>();',
          '  const release = (c: Context) => {',
          '    const close = closers.get(c.req.raw);',
          '    if (close) c.executionCtx.waitUntil(close());',
          '  };',
        ]
        : []),
      ...migrationsLines(model, 'createDatabases(c.env as Bindings)'),
      `  const securityHeaders: Record<string, string> = ${indentTail(literal(model.securityHeaders), 2)};`,
      '  return createQuickbackApp({',
      `    services: servicesFor, env: envOf, requiredEnv,${
        urlEnvImport(model).length > 0 ? ' urlEnv,' : ''
      } corsOrigins: (c) => corsOrigins(envOf(c)), routes,`,
      `    securityHeaders, etag: ${model.etag}, transactions,${jwtOption(model)}${documentsOption(model)}${
        emailOption(model)
      }${authChecksOption(model)}${authAliasesOption(model)}${addonsOption(model)}${deferOption(model)}${
        model.encryption ? ' encryption: true,' : ''
      }${model.idempotency ? ' idempotency: { table: idempotencyKeys },' : ''}${
        model.database.dialect === 'postgresql' ? ' rls: begin,' : ''
      }${perRequestPool(model) ? ' release,' : ''}${workersHints(model)}`,
      '    migrations, extend,',
      '  });',
      '}',
      ...(model.webhooks
        ? [
          '',
          '/** Table events of a request, queued after its response on connections of their own; then delivered. */',
          'async function queueWebhooks(bindings: Bindings, work: (db: QueryDatabase) => Promise<unknown>): Promise<void> {',
          '  const databases = createDatabases(bindings);',
          '  try {',
          '    await work(databases.features);',
          '  } finally {',
          `    ${perRequestPool(model) ? 'await databases.close();' : '// D1 bindings need no closing'}`,
          '  }',
          '  await runWebhookDeliveries(bindings);',
          '}',
          '',
          '/** The cron trigger (wrangler.toml [triggers]), and after writes: webhook deliveries and inbound handlers that are due. */',
          'export async function runWebhookDeliveries(bindings: Bindings): Promise<number> {',
          '  const databases = createDatabases(bindings);',
          '  try {',
          '    const sent = await runDue(databases.features, webhookTables, webhookPolicy(envFromBindings(bindings)));',
          '    return sent + (await processInbound(databases.features, webhookTables.events, inboundHandlers));',
          '  } finally {',
          `    ${perRequestPool(model) ? 'await databases.close();' : '// D1 bindings need no closing'}`,
          '  }',
          '}',
        ]
        : []),
    ),
  );
}

export function printAppIndex(model: AppModel): string {
  if (model.cloudflare) return printWorkerAppIndex(model);
  return withBanner(
    'ts',
    model.configFile,
    lines(
      importLine(['authForApp', 'memberRolesFor', 'teamMembershipFor'], './auth/index.js'),
      importLine([
        'createDatabases',
        'transactions',
        'type Databases',
        ...(model.auditLog ? ['createAuditLog'] : []),
        ...(model.database.dialect === 'postgresql' ? ['begin'] : []),
      ], './db/index.js'),
      importLine(['corsOrigins', 'requiredEnv', ...urlEnvImport(model), 'type Env'], './env.js'),
      ...sharedImports(model),
      '',
      "/** The API as a Hono app (and `close`, for the server's shutdown). Databases and Better Auth are created on first use. */",
      model.realtime
        ? 'export function createApp(env: Env, realtime: RealtimeServer = createRealtimeServer(env)) {'
        : 'export function createApp(env: Env) {',
      ...storeLines(model),
      model.email && model.auth.provider === 'better-auth' ? '  const mailer = mailerFor(env);' : false,
      ...filesLines(model),
      '  let opened: Databases | undefined;',
      '  const openDatabases = (): Databases => (opened ??= createDatabases(env));',
      '  let services: Services | undefined;',
      '  const getServices = (): Services => {',
      '    if (!services) {',
      '      const databases = openDatabases();',
      `      ${servicesLine(model, 'env')}`,
      '    }',
      '    return services;',
      '  };',
      ...realtimeLiveLines(model),
      ...webhooksLoopLines(model),
      ...migrationsLines(model, 'openDatabases()'),
      `  const securityHeaders: Record<string, string> = ${indentTail(literal(model.securityHeaders), 2)};`,
      '  const app = createQuickbackApp({',
      `    services: getServices, env: () => env, requiredEnv,${
        urlEnvImport(model).length > 0 ? ' urlEnv,' : ''
      } corsOrigins: corsOrigins(env), routes,`,
      `    securityHeaders, etag: ${model.etag}, transactions,${jwtOption(model)}${sharedCountersOption(model)}${
        documentsOption(model)
      }${emailOption(model)}${authChecksOption(model)}${authAliasesOption(model)}${addonsOption(model)}${
        deferOption(model)
      }${model.encryption ? ' encryption: true,' : ''}${
        model.idempotency ? ' idempotency: { table: idempotencyKeys },' : ''
      }${model.database.dialect === 'postgresql' ? ' rls: begin,' : ''}`,
      '    migrations, bodyDeadline: true, extend,',
      '  });',
      "  // The server's shutdown calls `close` once requests are drained: the database connections end before the process exits.",
      '  return Object.assign(app, { close: async () => { await opened?.close(); } });',
      '}',
    ),
  );
}
