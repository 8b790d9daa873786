/**
 * @module compiler/validate/rules/encrypted-rule
 * `.encrypted()` columns (seed 003) hold ciphertext that the database cannot compare, so they are
 * kept off every query surface and out of every place a value bypasses the encrypting write path.
 * Each is an error with the column's path: not filterable or searchable, not in a view's
 * query.{searchable,filterable,sortable}, not unique, not a primary key, no reference, not a scope
 * column, no default, not an embeddings source; text-shaped types only; and the table must have a
 * `q.scope("organization")` column, since keys are per organization. Beyond the seed: each value is
 * bound to its row id, so the ids must not come from the database (`generateId: "serial"`); and
 * neither access record conditions nor action transitions (which compare values) may name one.
 */
import type { ColumnSpec } from '../../../dsl/columns/spec.js';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceConfig, resourceError } from '../project.js';
import { entriesOf, isRecord, valueAt, valueAtDotted, type Segment } from '../util.js';

const TEXT_SHAPED = new Set(['text', 'email', 'url']);

/** What an encrypted column may not have, read off its spec. */
const SPEC_RULES: [test: (spec: ColumnSpec) => boolean, what: string, hint: string][] = [
  [
    (s) => s.filterable !== undefined,
    'cannot be .filterable()',
    'Ciphertext cannot be compared: filter on a separate, non-sensitive column.',
  ],
  [(s) => s.searchable === true, 'cannot be .searchable()', 'Ciphertext cannot be searched.'],
  [
    (s) => s.unique === true,
    'cannot be .unique()',
    'AES-GCM gives a different ciphertext on every write, so uniqueness cannot hold.',
  ],
  [(s) => s.type === 'id', 'cannot be a primary key', 'Keep ids in plain text.'],
  [
    (s) => s.references !== undefined,
    'cannot have .references()',
    'A foreign key compares values; encrypt a column that is not a key.',
  ],
  [(s) => s.type === 'scope', 'cannot be a q.scope() column', 'Scope columns are compared on every query.'],
  [
    (s) => s.default !== undefined || s.defaultNow === true,
    'cannot have a default',
    'A SQL default would be stored as plaintext, bypassing encryption.',
  ],
  [
    (s) => !TEXT_SHAPED.has(s.type) && s.type !== 'id' && s.type !== 'scope',
    'must be text-shaped (q.text(), q.email(), q.url())',
    'Encrypted columns hold text in this version.',
  ],
];

function checkResource(resource: ResourceInput, serialIds: boolean): Diagnostic[] {
  const encrypted = Object.entries(resource.columns).filter(([, spec]) => spec.encrypted === true).map(([key]) => key);
  if (encrypted.length === 0) return [];
  const out: Diagnostic[] = [];
  const fail = (message: string, segments: Segment[], hint: string) =>
    out.push(resourceError(resource, 'QB_VALIDATE_ENCRYPTED_COLUMN', message, segments, hint));
  for (const key of encrypted) {
    const spec = resource.columns[key];
    for (const [test, what, hint] of SPEC_RULES)
      if (test(spec)) fail(`Encrypted column "${key}" ${what}`, ['columns', key], hint);
  }
  if (serialIds) {
    fail(
      `"${resource.name}" has encrypted columns but its ids come from the database (generateId: "serial")`,
      ['columns', encrypted[0]],
      'Each value is bound to its row id, which must be known before the insert: use another generateId (e.g. "prefixed" or "uuid").',
    );
  }
  if (!Object.values(resource.columns).some((spec) => spec.type === 'scope' && spec.scope === 'organization')) {
    fail(`"${resource.name}" has encrypted columns (${encrypted.join(', ')}) but no q.scope("organization") column`, [
      'columns',
      encrypted[0],
    ], 'Keys are per organization: add organizationId: q.scope("organization").');
  }
  const config = resourceConfig(resource);
  const views = isRecord(config.read) ? config.read.views : undefined;
  for (const [name, view] of entriesOf(views)) {
    for (const list of ['searchable', 'filterable', 'sortable']) {
      const keys = valueAtDotted(view, `query.${list}`);
      if (!Array.isArray(keys)) continue;
      keys.forEach((k, i) => {
        if (typeof k === 'string' && encrypted.includes(k))
          fail(
            `View "${name}" query.${list} names encrypted column "${k}"`,
            ['read', 'views', name, 'query', list, i],
            'Ciphertext cannot be queried; views may still return it in fields.',
          );
      });
    }
  }
  const accessPlaces: Segment[][] = [
    ['read', 'access'],
    ...entriesOf(views).map(([name]): Segment[] => ['read', 'views', name, 'access']),
    ...(['create', 'update', 'delete'] as const).flatMap((op): Segment[][] => [['crud', op, 'access'], [op, 'access']]),
  ];
  for (const path of accessPlaces) recordConditions(valueAt(config, path), path, encrypted, fail);
  const embedded = valueAtDotted(config, 'embeddings.fields');
  if (Array.isArray(embedded)) {
    embedded.forEach((k, i) => {
      if (typeof k === 'string' && encrypted.includes(k))
        fail(
          `embeddings.fields names encrypted column "${k}"`,
          ['embeddings', 'fields', i],
          'Embedding a value sends its plaintext to the model.',
        );
    });
  }
  return out;
}

/** Record conditions compare stored values (in SQL for lists): never on ciphertext. */
function recordConditions(
  rule: unknown,
  path: Segment[],
  encrypted: string[],
  fail: (message: string, segments: Segment[], hint: string) => void,
): void {
  if (!isRecord(rule)) return;
  for (const [key] of entriesOf(rule.record)) {
    if (encrypted.includes(key))
      fail(
        `An access record condition names encrypted column "${key}"`,
        [...path, 'record', key],
        'Ciphertext cannot be compared: base the condition on a column that is not encrypted.',
      );
  }
  for (const combinator of ['or', 'and']) {
    const list = rule[combinator];
    if (Array.isArray(list))
      list.forEach((nested, i) => recordConditions(nested, [...path, combinator, i], encrypted, fail));
  }
}

/** An action's transition compares the field's stored state in its UPDATE: never an encrypted column. */
function transitions(project: LoadedProject): Diagnostic[] {
  return project.actions.flatMap((file) => {
    const resource = project.resources.find((r) => r.name === file.table);
    if (!resource) return [];
    return entriesOf(file.actions).flatMap(([name, spec]) => {
      const field = valueAtDotted(spec, 'transition.field');
      if (typeof field !== 'string' || resource.columns[field]?.encrypted !== true) return [];
      return [{
        code: 'QB_VALIDATE_ENCRYPTED_COLUMN' as const,
        severity: 'error' as const,
        file: file.file,
        at: `features.${file.table}.actions.${name}.transition.field`,
        message: `The transition of "${name}" uses encrypted column "${field}"`,
        hint: 'A transition compares the stored state: keep state columns unencrypted (q.enum()).',
      }];
    });
  });
}

export function encryptedRule(project: LoadedProject): Diagnostic[] {
  const serialIds = valueAtDotted(project.config, 'providers.database.options.generateId') === 'serial';
  return [...project.resources.flatMap((resource) => checkResource(resource, serialIds)), ...transitions(project)];
}
