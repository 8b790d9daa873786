/**
 * `add feature <name> [--columns name:type[:modifier...],...] [--scope organization|user|none]
 * [--read-roles r,...] [--write-roles r,...]`, parsed and checked before anything is written.
 */
import { nearest } from '../../src/dsl/kind.js';
import { QuickbackError } from '../../src/shared/errors.js';

export const columnTypes: Record<string, string> = {
  text: 'text',
  string: 'text',
  integer: 'integer',
  int: 'integer',
  number: 'number',
  real: 'number',
  boolean: 'boolean',
  bool: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
  json: 'json',
  url: 'url',
  email: 'email',
};
export const modifiers = ['required', 'optional', 'unique', 'index', 'searchable', 'encrypted', 'filterable'] as const;
const reserved = [
  'id',
  'organizationId',
  'ownerId',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'deletedAt',
  'deletedBy',
];
const IDENT = /^[a-z][a-zA-Z0-9]*$/;

export interface ColumnOption {
  name: string;
  code: string;
}
export interface FeatureOptions {
  name: string;
  columns: ColumnOption[];
  scope: 'organization' | 'user' | 'none';
  readRoles: string[];
  writeRoles: string[];
}

const bad = (message: string, hint: string) => new QuickbackError('QB_GEN_INVALID_ARGUMENT', message, { hint });

export function column(spec: string): ColumnOption {
  const [name, type, ...mods] = spec.split(':').map((s) => s.trim());
  if (!name || !IDENT.test(name))
    throw bad(
      `--columns: "${spec}" needs a camelCase name`,
      'Write name:type[:modifier...], e.g. email:email:required',
    );
  if (reserved.includes(name))
    throw bad(`--columns: "${name}" is added by Quickback itself`, `Leave out ${reserved.join(', ')}.`);
  const kind = columnTypes[type ?? ''];
  if (!kind) {
    const guess = nearest(type ?? '', Object.keys(columnTypes));
    throw bad(
      `--columns: "${type ?? ''}" is not a column type (in "${spec}")`,
      `${guess ? `Did you mean ${guess}? ` : ''}Types: ${Object.keys(columnTypes).join(', ')}`,
    );
  }
  for (const mod of mods) {
    if (!(modifiers as readonly string[]).includes(mod))
      throw bad(`--columns: "${mod}" is not a column modifier (in "${spec}")`, `Modifiers: ${modifiers.join(', ')}`);
  }
  return { name, code: `q.${kind}()${mods.map((m) => `.${m}()`).join('')}` };
}

const roles = (
  value: unknown,
  fallback: string[],
) => (typeof value === 'string' ? value.split(',').map((r) => r.trim()).filter(Boolean) : fallback);

export function featureOptions(positionals: string[], values: Record<string, unknown>): FeatureOptions {
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0)
    throw bad('add feature takes one feature name', 'quickback add feature <name> [--columns title:text:required]');
  if (!IDENT.test(name))
    throw bad(
      `"${name}" is not a feature name`,
      'Use a camelCase name starting with a lowercase letter, e.g. guests or giftCards.',
    );
  const columns = typeof values.columns === 'string'
    ? values.columns.split(',').filter((s) => s.trim()).map(column)
    : [];
  const duplicate = columns.find((c, i) => columns.findIndex((d) => d.name === c.name) !== i);
  if (duplicate) throw bad(`--columns names "${duplicate.name}" twice`, 'Give each column once.');
  const scope = (values.scope ?? 'organization') as string;
  if (scope !== 'organization' && scope !== 'user' && scope !== 'none')
    throw bad(
      `--scope ${scope} is not a scope add feature builds`,
      'Use --scope organization (the default), user (rows of their owner only) or none (shared rows: firewall exception).',
    );
  if (scope === 'user' && (values['read-roles'] !== undefined || values['write-roles'] !== undefined)) {
    throw bad(
      '--read-roles and --write-roles are organization roles',
      'Leave them out with --scope user: only the owner reads and writes.',
    );
  }
  return {
    name,
    columns,
    scope,
    readRoles: roles(values['read-roles'], ['member+']),
    writeRoles: roles(values['write-roles'], ['member+']),
  };
}
