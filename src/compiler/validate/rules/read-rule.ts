/**
 * @module compiler/validate/rules/read-rule
 * Masking and views. Masking: real, non-system columns; `or: "owner"` only on a table with an
 * owner column; `keepFirst`/`keepLast` only on `custom`; roles in the hierarchy; columns masked
 * automatically by name are reported as warnings. Views: real columns in `fields` and the query
 * allowlists, a `defaultSort` on a known column, `defaultView` naming a view, and view roles that
 * stay within `read.access.roles` (a view narrows, never widens).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { expandRoles } from '../../model/access.js';
import { deriveFirewall } from '../../model/firewall.js';
import { autoMaskType } from '../../model/masking.js';
import {
  AUDIT_COLUMNS,
  knownColumns,
  publicResources,
  resourceConfig,
  resourceError,
  roleHierarchy,
} from '../project.js';
import { didYouMean, entriesOf, isRecord, stringsOf, valueAtDotted } from '../util.js';

function ownerColumn(resource: ResourceInput): string | undefined {
  try {
    return deriveFirewall(resource.config ?? {}, resource.columns ?? {}, 'deletedAt').scope.owner;
  } catch {
    return undefined;
  }
}

function checkMasking(resource: ResourceInput, masking: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const columns = knownColumns(resource);
  const fail = (
    message: string,
    path: (string | number)[],
    hint?: string,
    code: Diagnostic['code'] = 'QB_VALIDATE_INVALID_MASKING',
  ) => out.push(resourceError(resource, code, message, ['masking', ...path], hint));
  for (const [key, rule] of entriesOf(masking)) {
    const spec = resource.columns?.[key];
    if (!columns.includes(key))
      fail(
        `masking names "${key}", which is not a column of "${resource.name}"`,
        [key],
        didYouMean(key, columns, 'Columns'),
        'QB_VALIDATE_UNKNOWN_COLUMN',
      );
    else if (key === 'id' || spec?.type === 'id' || spec?.type === 'scope' || AUDIT_COLUMNS.includes(key))
      fail(`"${key}" is an id, scope or audit column and cannot be masked`, [key]);
    if (!isRecord(rule)) continue;
    if (valueAtDotted(rule, 'show.or') === 'owner' && !ownerColumn(resource)) {
      fail(
        `masking.${key}.show.or is "owner", but "${resource.name}" has no owner column`,
        [key, 'show', 'or'],
        'Add ownerId: q.scope("owner") (or firewall.owner), or remove or: "owner".',
      );
    }
    if (rule.type !== 'custom' && (rule.keepFirst !== undefined || rule.keepLast !== undefined))
      fail(
        'keepFirst/keepLast apply only to type "custom"',
        [key],
        'Use type: "custom", or remove keepFirst/keepLast.',
      );
  }
  return out;
}

function autoMaskWarnings(resource: ResourceInput, masking: unknown): Diagnostic[] {
  const explicit = isRecord(masking) ? masking : {};
  const owner = ownerColumn(resource);
  return Object.entries(resource.columns ?? {})
    .filter(([key, spec]) => !(key in explicit) && spec?.type !== 'id' && spec?.type !== 'scope' && autoMaskType(key))
    .map(([key]) => ({
      code: 'QB_WARN_AUTO_MASK' as const,
      severity: 'warning' as const,
      file: resource.file,
      at: `features.${resource.name}.columns.${key}`,
      message: `"${key}" looks sensitive, so it is masked (${autoMaskType(key)}) for everyone except admin+${
        owner ? ' and the row owner' : ' (no owner column, so no owner exception)'
      }`,
      hint: `Declare masking: { ${key}: { type: "${
        autoMaskType(key)
      }", show: { roles: [...] } } } to choose who sees it.`,
    }));
}

function checkViews(resource: ResourceInput, read: Record<string, unknown>, hierarchy: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const columns = knownColumns(resource);
  const fail = (
    message: string,
    path: (string | number)[],
    hint?: string,
    code: Diagnostic['code'] = 'QB_VALIDATE_INVALID_VIEW',
  ) => out.push(resourceError(resource, code, message, ['read', ...path], hint));
  const parentRoles = stringsOf(valueAtDotted(read, 'access.roles'));
  const parent = expandRoles(parentRoles, hierarchy);
  for (const [name, view] of entriesOf(read.views)) {
    if (!isRecord(view)) continue;
    const lists: [string, unknown][] = [
      ['fields', view.fields],
      ...(['filterable', 'searchable', 'sortable'] as const).map((
        k,
      ): [string, unknown] => [`query.${k}`, valueAtDotted(view, `query.${k}`)]),
    ];
    for (const [list, value] of lists) {
      stringsOf(value).forEach((key, i) => {
        if (!columns.includes(key))
          fail(
            `View "${name}" ${list} names "${key}", which is not a column`,
            ['views', name, ...list.split('.'), i],
            didYouMean(key, columns, 'Columns'),
            'QB_VALIDATE_UNKNOWN_COLUMN',
          );
      });
    }
    const sort = valueAtDotted(view, 'query.defaultSort');
    if (typeof sort === 'string') {
      for (const part of sort.split(',').map((s) => s.trim().replace(/^[-+]/, ''))) {
        if (!columns.includes(part))
          fail(`View "${name}" defaultSort names "${part}", which is not a column`, [
            'views',
            name,
            'query',
            'defaultSort',
          ], 'Use "-createdAt" style: a column, optionally prefixed with "-".');
      }
    }
    const roles = expandRoles(stringsOf(valueAtDotted(view, 'access.roles')), hierarchy);
    const wider = parentRoles.length > 0 && !parentRoles.includes('PUBLIC')
      ? roles.filter((r) => !parent.includes(r))
      : [];
    if (wider.length > 0)
      fail(
        `View "${name}" lets ${wider.join(', ')} in, but read.access does not`,
        ['views', name, 'access', 'roles'],
        'A view narrows read access; its roles must be a subset of read.access.roles.',
      );
  }
  const defaultView = read.defaultView;
  if (typeof defaultView === 'string' && !(isRecord(read.views) && defaultView in read.views)) {
    fail(
      `defaultView "${defaultView}" is not one of the views`,
      ['defaultView'],
      didYouMean(defaultView, Object.keys(isRecord(read.views) ? read.views : {}), 'Views')
        ?? 'Declare it under read.views.',
    );
  }
  return out;
}

export function readRule(project: LoadedProject): Diagnostic[] {
  const hierarchy = roleHierarchy(project.config);
  return publicResources(project).flatMap((resource) => {
    const config = resourceConfig(resource);
    const read = isRecord(config.read) ? config.read : {};
    return [
      ...checkMasking(resource, config.masking),
      ...autoMaskWarnings(resource, config.masking),
      ...checkViews(resource, read, hierarchy),
    ];
  });
}
