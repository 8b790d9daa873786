/**
 * @module compiler/validate/rules/role-hierarchy-rule
 * `auth.roleHierarchy` must be a non-empty list of unique role names without `PUBLIC` (a special
 * role, never a member role) and without `+` (the "and above" suffix of access rules).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { configError } from '../project.js';
import { valueAtDotted } from '../util.js';

const EXAMPLE = 'Example: auth: { roleHierarchy: ["member", "admin", "owner"] } (lowest to highest)';

function entryProblem(role: string, index: number, roles: readonly unknown[]): string | undefined {
  if (role.trim() === '') return 'Role names in `auth.roleHierarchy` cannot be empty';
  if (role.toUpperCase() === 'PUBLIC') return '`PUBLIC` is a special access role and cannot be in `auth.roleHierarchy`';
  if (role.includes('+'))
    return `"${role}": role names in \`auth.roleHierarchy\` cannot contain "+" (it means "and above" in access rules)`;
  if (role === '*') return '"*" cannot be a role name';
  if (roles.indexOf(role) !== index) return `"${role}" appears more than once in \`auth.roleHierarchy\``;
  return undefined;
}

export function roleHierarchyRule(project: LoadedProject): Diagnostic[] {
  const roles = valueAtDotted(project.config, 'auth.roleHierarchy');
  if (!Array.isArray(roles)) return [];
  if (roles.length === 0) {
    return [
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        '`auth.roleHierarchy` cannot be empty',
        'auth.roleHierarchy',
        `${EXAMPLE}, or leave it out for that default.`,
      ),
    ];
  }
  const out: Diagnostic[] = [];
  roles.forEach((role, index) => {
    if (typeof role !== 'string') return;
    const problem = entryProblem(role, index, roles);
    if (problem)
      out.push(configError(project, 'QB_VALIDATE_INVALID_OPTION', problem, `auth.roleHierarchy[${index}]`, EXAMPLE));
  });
  return out;
}
