/**
 * @module compiler/validate/rules/guards-rule
 * Guard lists (reference §1.6): every listed field is a column a client could write (not id,
 * scope or audit); `protected` is not also createable/updatable; `immutable` is not updatable; a
 * required field without a default is createable (or no row could ever be created); PUT and
 * batch upsert need client ids and no guard lists.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { deriveFirewall } from '../../model/firewall.js';
import { AUDIT_COLUMNS, declaredColumns, publicResources, resourceConfig, resourceError } from '../project.js';
import { didYouMean, entriesOf, isRecord, stringsOf } from '../util.js';

const LISTS = ['createable', 'updatable', 'immutable'] as const;

function systemColumns(resource: ResourceInput): Set<string> {
  const scope = Object.entries(resource.columns ?? {}).filter(([, s]) => s?.type === 'scope' || s?.type === 'id').map((
    [k],
  ) => k);
  let stamped: string[] = [];
  try {
    stamped = Object.values(deriveFirewall(resource.config ?? {}, resource.columns ?? {}, 'deletedAt').scope).filter((
      c,
    ): c is string => typeof c === 'string');
  } catch {
    // a malformed firewall is reported by the scope rule
  }
  return new Set(['id', ...AUDIT_COLUMNS, ...scope, ...stamped]);
}

function checkGuards(resource: ResourceInput, guards: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const columns = declaredColumns(resource);
  const system = systemColumns(resource);
  const fail = (
    message: string,
    path: (string | number)[],
    hint?: string,
    code: Diagnostic['code'] = 'QB_VALIDATE_INVALID_GUARDS',
  ) => out.push(resourceError(resource, code, message, ['guards', ...path], hint));
  const listed = (key: string, name: string, path: (string | number)[]) => {
    if (!columns.includes(key))
      fail(
        `guards.${name} names "${key}", which is not a column of "${resource.name}"`,
        path,
        didYouMean(key, columns, 'Columns'),
        'QB_VALIDATE_UNKNOWN_COLUMN',
      );
    else if (system.has(key))
      fail(
        `"${key}" is managed by the server (id, tenant scope or audit) and can never be written by clients`,
        path,
        `Remove "${key}" from guards.${name}.`,
      );
  };
  for (const name of LISTS) stringsOf(guards[name]).forEach((key, i) => listed(key, name, [name, i]));
  for (const [key] of entriesOf(guards.protected)) listed(key, 'protected', ['protected', key]);
  const createable = stringsOf(guards.createable);
  const updatable = stringsOf(guards.updatable);
  const immutable = stringsOf(guards.immutable);
  for (const [key] of entriesOf(guards.protected)) {
    if (createable.includes(key) || updatable.includes(key))
      fail(
        `"${key}" is protected, so it cannot also be createable or updatable`,
        ['protected', key],
        'Protected fields change only through the actions named in guards.protected.',
      );
  }
  for (const key of immutable)
    if (updatable.includes(key))
      fail(
        `"${key}" is immutable, so it cannot also be updatable`,
        ['immutable'],
        `Remove "${key}" from guards.updatable.`,
      );
  for (const [key, spec] of Object.entries(resource.columns ?? {})) {
    const required = spec?.required === true && spec.default === undefined && spec.defaultNow !== true
      && !system.has(key);
    if (required && !createable.includes(key) && !immutable.includes(key)) {
      fail(
        `"${key}" is required and has no default, but it is neither createable nor immutable, so no "${resource.name}" row could ever be created`,
        ['createable'],
        `Add "${key}" to guards.createable (or give it a default).`,
      );
    }
  }
  return out;
}

function checkPut(resource: ResourceInput, config: Record<string, unknown>, clientIds: boolean): Diagnostic[] {
  const crud = isRecord(config.crud) ? config.crud : {};
  const wants = crud.put === true || crud.batchUpsert === true;
  if (!wants) return [];
  const key = crud.put === true ? 'put' : 'batchUpsert';
  if (!clientIds)
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_OPTION',
        `crud.${key} needs client-supplied ids`,
        ['crud', key],
        'Set providers.database generateId: false, or remove crud.' + key + '.',
      ),
    ];
  if (isRecord(config.guards))
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_OPTION',
        `crud.${key} cannot be combined with guard lists (an upsert is a create or an update)`,
        ['crud', key],
        'Set guards: false, or remove crud.' + key + '.',
      ),
    ];
  return [];
}

export function guardsRule(project: LoadedProject): Diagnostic[] {
  const generateId = (project.config?.providers?.database as { options?: { generateId?: unknown } } | undefined)
    ?.options?.generateId;
  return publicResources(project).flatMap((resource) => {
    const config = resourceConfig(resource);
    return [
      ...(isRecord(config.guards) ? checkGuards(resource, config.guards) : []),
      ...checkPut(resource, config, generateId === false),
    ];
  });
}
