/**
 * @module compiler/validate/rules/cloudflare-rule
 * Cloudflare combinations and options (seed 000, issue #8 §7): a SQLite file driver on Workers or
 * D1 off Workers is an error naming the valid choices; `compatibilityDate` must be a real
 * YYYY-MM-DD date, and without one wrangler.toml gets the default the pinned workerd supports (a
 * warning says so); two bindings of one Worker must not share a name. A D1 database or KV
 * namespace without an id gets a local-dev placeholder in wrangler.toml, with a warning that
 * `wrangler deploy` will need the real id.
 *
 * Options that need something the project does not have (the audit database without an unsafe
 * action, the files and webhooks databases this edition does not use) warn that they have
 * no effect, as seed 000 says of the audit options.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { cloudflareModel, DEFAULT_COMPATIBILITY_DATE, type CloudflareModel } from '../../model/cloudflare.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const WORKER_DATABASES = ['cloudflare-d1', 'neon', 'supabase'];
const SERVER_DATABASES = ['better-sqlite3', 'libsql', 'neon', 'supabase'];

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function bindingsOf(cf: CloudflareModel): { name: string; at: string }[] {
  const option = { auth: 'authBinding', features: 'featuresBinding', audit: 'auditBinding' } as const;
  return [
    ...cf.d1.map((d) => ({ name: d.binding, at: `providers.database.${option[d.logical]}` })),
    ...(cf.kv ? [{ name: cf.kv.binding, at: 'providers.storage.binding' }] : []),
    ...(cf.r2 ? [{ name: cf.r2.binding, at: 'providers.fileStorage.binding' }] : []),
    ...cf.services.map((s) => ({ name: s.binding, at: 'providers.auth.binding' })),
  ];
}

function placeholders(project: LoadedProject, cf: CloudflareModel): Diagnostic[] {
  const missing = [
    ...cf.d1.filter((d) => d.databaseId === null).map((d) => `the ${d.logical} D1 database (${d.binding})`),
    ...(cf.kv && cf.kv.namespaceId === null ? [`the KV namespace (${cf.kv.binding})`] : []),
  ];
  if (missing.length === 0) return [];
  return [
    warning(
      'QB_VALIDATE_DEPLOY_PLACEHOLDER',
      `wrangler.toml gets local-dev placeholder ids for ${
        missing.join(', ')
      }: \`wrangler deploy\` will need the real ones`,
      {
        file: project.configFile,
        at: 'providers.database',
        hint:
          'Set databaseId / authDatabaseId / auditDatabaseId (and the KV namespaceId) from `wrangler d1 create` and `wrangler kv namespace create`.',
      },
    ),
  ];
}

const NO_EFFECT: [option: string, needs: string][] = [
  ['filesDatabaseId', 'a files database, which this edition does not use (objects in R2 carry their own metadata)'],
  [
    'webhooksDatabaseId',
    'a webhooks database, which this edition does not use (webhook tables live in the features database)',
  ],
  [
    'experimentalRemote.files',
    'a files database, which this edition does not use (objects in R2 carry their own metadata)',
  ],
  [
    'experimentalRemote.webhooks',
    'a webhooks database, which this edition does not use (webhook tables live in the features database)',
  ],
];
const AUDIT_OPTIONS = ['auditBinding', 'auditDatabaseName', 'auditDatabaseId', 'experimentalRemote.audit'];

function noEffect(project: LoadedProject, cf: CloudflareModel): Diagnostic[] {
  const set = (option: string) => valueAtDotted(project.config, `providers.database.options.${option}`) !== undefined;
  const unused = [
    ...NO_EFFECT.filter(([option]) => set(option)),
    ...(cf.d1.some((d) => d.logical === 'audit')
      ? []
      : AUDIT_OPTIONS.filter(set).map((
        o,
      ): [string, string] => [o, 'an unsafe action (the audit database exists only then)'])),
  ];
  return unused.map(([option, needs]) =>
    warning('QB_WARN_OPTION_NO_EFFECT', `\`${option}\` has no effect: it needs ${needs}`, {
      file: project.configFile,
      at: `providers.database.${option}`,
      hint: 'Keep it for later or remove it; wrangler.toml gets no binding for it.',
    })
  );
}

export function cloudflareRule(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const runtime = providerKind(project.config, 'runtime');
  const database = providerKind(project.config, 'database');
  if (runtime === 'cloudflare' && database && !WORKER_DATABASES.includes(database)) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `The database "${database}" cannot run on the cloudflare runtime (a Worker has no local files)`,
        'providers.database',
        `On cloudflare use one of: ${WORKER_DATABASES.join(', ')}.`,
      ),
    );
  }
  if ((runtime === 'node' || runtime === 'bun') && database === 'cloudflare-d1') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `The database "cloudflare-d1" runs only on the cloudflare runtime, not on ${runtime}`,
        'providers.database',
        `On ${runtime} use one of: ${SERVER_DATABASES.join(', ')}; or use defineRuntime("cloudflare").`,
      ),
    );
  }
  const date = valueAtDotted(project.config, 'providers.runtime.options.compatibilityDate');
  if (typeof date === 'string' && !isRealDate(date)) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `compatibilityDate "${date}" is not a date like "2026-05-13"`,
        'providers.runtime.compatibilityDate',
        'Use the YYYY-MM-DD date your Worker was tested against.',
      ),
    );
  }
  if (runtime !== 'cloudflare') return out;
  let cf: CloudflareModel | undefined;
  try {
    const unsafe = project.actions.some((file) =>
      Object.values(file.actions ?? {}).some((spec) =>
        typeof spec === 'object' && spec !== null && Boolean(spec.unsafe)
      )
    );
    cf = cloudflareModel(project.config, unsafe, project.resources.length > 0);
  } catch {
    return out; // a malformed config: the schema rule reports it
  }
  if (!cf) return out;
  if (date === undefined) {
    out.push(
      warning(
        'QB_WARN_DEFAULT_COMPATIBILITY_DATE',
        `No compatibilityDate: wrangler.toml gets ${DEFAULT_COMPATIBILITY_DATE}, the newest date the pinned workerd supports`,
        {
          file: project.configFile,
          at: 'providers.runtime',
          hint:
            `Set defineRuntime("cloudflare", { compatibilityDate: "${DEFAULT_COMPATIBILITY_DATE}" }) (or the date your Worker was tested against) to fix it.`,
        },
      ),
    );
  }
  const seen = new Map<string, string>();
  for (const { name, at } of bindingsOf(cf)) {
    if (!IDENTIFIER.test(name)) {
      out.push(
        configError(
          project,
          'QB_VALIDATE_INVALID_OPTION',
          `The binding name "${name}" is not a JavaScript identifier`,
          at,
          'The Worker reads it as env.NAME: use letters, digits and _ (e.g. "AUTH_DB").',
        ),
      );
      continue;
    }
    const first = seen.get(name);
    if (first)
      out.push(
        configError(
          project,
          'QB_VALIDATE_INVALID_OPTION',
          `Two bindings are both named "${name}" (${first} and ${at})`,
          at,
          'Every binding of a Worker needs its own name.',
        ),
      );
    else seen.set(name, at);
  }
  return [...out, ...placeholders(project, cf), ...noEffect(project, cf)];
}
