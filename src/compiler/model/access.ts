/**
 * @module compiler/model/access
 * Normalises access rules: `"admin+"` expands to admin and every role above it in
 * `auth.roleHierarchy` (once, at compile time); conditions become `{ op, value }`.
 */
import type { AccessRule, Condition, ResourceSpec } from '../../dsl/feature.js';
import type { AccessModel, ConditionModel } from './ir.js';

export function expandRoles(roles: readonly string[], hierarchy: readonly string[]): string[] {
  const out: string[] = [];
  const add = (role: string) => {
    if (!out.includes(role)) out.push(role);
  };
  for (const role of roles) {
    if (role.endsWith('+')) {
      const start = hierarchy.indexOf(role.slice(0, -1));
      hierarchy.slice(start < 0 ? hierarchy.length : start).forEach(add);
    } else add(role);
  }
  return out;
}

function condition(cond: Condition): ConditionModel {
  const [op, value] = Object.entries(cond)[0] as [ConditionModel['op'], unknown];
  return { op, value } as ConditionModel;
}

export function normalizeAccess(rule: AccessRule | undefined, hierarchy: readonly string[]): AccessModel {
  if (rule === undefined) return {};
  const out: AccessModel = {};
  if (rule.roles) out.roles = expandRoles(rule.roles, hierarchy);
  if (rule.userRole) out.userRole = [...rule.userRole];
  if (rule.record) out.record = Object.fromEntries(Object.entries(rule.record).map(([k, c]) => [k, condition(c)]));
  if (rule.or) out.or = rule.or.map((r) => normalizeAccess(r, hierarchy));
  if (rule.and) out.and = rule.and.map((r) => normalizeAccess(r, hierarchy));
  return out;
}

type Operation = 'create' | 'update' | 'delete';

/** The access rule of an operation, from either authoring form (`crud.create` or top-level `create`). */
export function operationSpec<O extends Operation>(
  config: ResourceSpec,
  op: O,
): NonNullable<ResourceSpec[O]> | undefined {
  return (config.crud?.[op] ?? config[op]) as NonNullable<ResourceSpec[O]> | undefined;
}

export function accessModels(config: ResourceSpec, hierarchy: readonly string[]) {
  const pick = (rule: unknown) => normalizeAccess(rule as AccessRule | undefined, hierarchy);
  return {
    read: pick(config.read?.access),
    create: pick(operationSpec(config, 'create')?.access),
    update: pick(operationSpec(config, 'update')?.access),
    delete: pick(operationSpec(config, 'delete')?.access),
  };
}
