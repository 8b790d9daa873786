/**
 * @module compiler/validate/rules/resource-schema-rule
 * Checks every resource's config (feature() / defineTable() options, columns aside) against the
 * resource schema: unknown keys with the nearest valid key, access rules, conditions, delete
 * modes, firewall forms, `unique`, `internal`.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourcePath } from '../project.js';
import { issuesToDiagnostics } from '../schema/issues.js';
import { resourceSchema } from '../schema/resource.js';
import { configSchema } from '../schema/config.js';
import { configPath } from './config-schema-rule.js';
import { formatPath } from '../util.js';

function checkResource(resource: ResourceInput, project: LoadedProject): Diagnostic[] {
  const data: unknown = resource.config ?? {};
  const result = resourceSchema.safeParse(data);
  if (result.success) return [];
  return issuesToDiagnostics(result.error.issues, {
    schema: resourceSchema,
    data,
    file: resource.file,
    at: (path) => formatPath(path as (string | number | symbol)[], resourcePath(resource)),
    rootLabel: `The options of "${resource.name}"`,
    elsewhere: [{ schema: configSchema, at: configPath, file: project.configFile }],
  });
}

export function resourceSchemaRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap((resource) => checkResource(resource, project));
}
