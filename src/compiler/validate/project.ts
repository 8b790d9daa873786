/**
 * @module compiler/validate/project
 * Read-only views of a LoadedProject that several rules share: where a resource's problems are
 * reported, which column names a rule may mention, and the effective role hierarchy.
 */
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { ErrorCode } from '../../shared/error-codes.js';
import type { LoadedProject, ResourceInput } from '../load/types.js';
import { AUDIT_KEYS } from '../model/columns.js';
import { DEFAULT_ROLE_HIERARCHY } from '../model/config.js';
import { formatPath, isRecord, stringsOf, valueAtDotted, type Segment } from './util.js';

export type Rule = (project: LoadedProject) => Diagnostic[];

/** Audit columns every feature table gets (createdAt, modifiedAt, deletedAt, createdBy, ...). */
export const AUDIT_COLUMNS: readonly string[] = Object.values(AUDIT_KEYS);

/** `features.<name>` followed by `segments`, e.g. `features.tickets.read.access.roles[0]`. */
export function resourcePath(resource: ResourceInput, ...segments: Segment[]): string {
  return formatPath(segments, `features.${resource.name}`);
}

/** An error diagnostic located in a resource's file. */
export function resourceError(
  resource: ResourceInput,
  code: ErrorCode,
  message: string,
  segments: Segment[],
  hint?: string,
): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    file: resource.file,
    at: resourcePath(resource, ...segments),
    ...(hint ? { hint } : {}),
  };
}

/** An error diagnostic located in the config file (`at` as written in quickback.config.ts). */
export function configError(
  project: LoadedProject,
  code: ErrorCode,
  message: string,
  at: string | undefined,
  hint?: string,
): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    file: project.configFile,
    ...(at ? { at } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** The resource's config as an object (malformed configs are reported by the schema rule). */
export function resourceConfig(resource: ResourceInput): Record<string, unknown> {
  return isRecord(resource.config) ? (resource.config as Record<string, unknown>) : {};
}

/** Declared column keys plus the implicit `id` the model adds when no `q.id()` column exists. */
export function declaredColumns(resource: ResourceInput): string[] {
  const keys = Object.keys(resource.columns ?? {});
  const hasId = Object.values(resource.columns ?? {}).some((spec) => spec?.type === 'id');
  return hasId || keys.includes('id') ? keys : ['id', ...keys];
}

/** Columns a rule may refer to: declared ones plus the audit columns added automatically. */
export function knownColumns(resource: ResourceInput): string[] {
  const declared = declaredColumns(resource);
  return [...declared, ...AUDIT_COLUMNS.filter((c) => !declared.includes(c))];
}

/** `auth.roleHierarchy` when it is a list, else the default member, admin, owner. */
export function roleHierarchy(config: unknown): string[] {
  const value = valueAtDotted(config, 'auth.roleHierarchy');
  return Array.isArray(value) ? stringsOf(value) : [...DEFAULT_ROLE_HIERARCHY];
}

/** Relationship role names of `authz.roles` (held on realtime scope channels). */
export function authzRoles(config: unknown): string[] {
  const roles = valueAtDotted(config, 'authz.roles');
  return isRecord(roles) ? Object.keys(roles) : [];
}

/** The kind of a provider slot when it looks like a descriptor (`node`, `libsql`, ...). */
export function providerKind(config: unknown, slot: string): string | undefined {
  const kind = valueAtDotted(config, `providers.${slot}.kind`);
  return typeof kind === 'string' ? kind : undefined;
}

/** Resources that get a firewall and routes (internal tables are migrated only). */
export function publicResources(project: LoadedProject): ResourceInput[] {
  return project.resources.filter((r) => !r.internal && resourceConfig(r).internal !== true);
}
