/**
 * @module compiler/validate/rules/webhooks-rule
 * Webhooks (reference §7.2): `webhookAdminRoles` must be roles of the hierarchy. A
 * table's `webhooks` warns when the project's webhooks are off, and when the table has no
 * organization or owner to address endpoints by.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { QuickbackConfigInput } from '../../../dsl/config.js';
import type { LoadedProject } from '../../load/types.js';
import { AUDIT_KEYS } from '../../model/columns.js';
import { deriveFirewall } from '../../model/firewall.js';
import { webhooksOn } from '../../model/webhooks.js';
import { configError, publicResources, resourceConfig, resourcePath, roleHierarchy } from '../project.js';
import { valueAtDotted } from '../util.js';

export function webhooksRule(project: LoadedProject): Diagnostic[] {
  let on = false;
  try {
    on = webhooksOn(project.config as QuickbackConfigInput);
  } catch {
    return [];
  }
  const out: Diagnostic[] = [];
  const roles = roleHierarchy(project.config);
  const admins = valueAtDotted(project.config, 'providers.database.options.webhookAdminRoles');
  if (Array.isArray(admins)) {
    admins.forEach((role, i) => {
      if (typeof role === 'string' && !roles.includes(role.replace(/\+$/, ''))) {
        out.push(
          configError(
            project,
            'QB_VALIDATE_INVALID_ACCESS',
            `webhookAdminRoles: "${role}" is not a role of auth.roleHierarchy`,
            `providers.database.webhookAdminRoles[${i}]`,
            `Roles: ${roles.join(', ')}.`,
          ),
        );
      }
    });
  }
  for (const resource of publicResources(project)) {
    const spec = resourceConfig(resource).webhooks;
    if (spec === undefined || spec === false) continue;
    const at = { file: resource.file, at: resourcePath(resource, 'webhooks') };
    if (!on) {
      out.push(
        warning(
          'QB_WARN_OPTION_NO_EFFECT',
          `\`webhooks\` of ${resource.name} has no effect: the project's webhooks are off`,
          { ...at, hint: 'Turn them on with webhooks: {} in quickback.config.ts.' },
        ),
      );
      continue;
    }
    try {
      const { scope } = deriveFirewall(resource.config, resource.columns, AUDIT_KEYS.deletedAt);
      if (scope.organization === undefined && scope.owner === undefined) {
        out.push(
          warning(
            'QB_WARN_OPTION_NO_EFFECT',
            `\`webhooks\` of ${resource.name} has no effect: the table has no organization or owner whose endpoints would get its events`,
            { ...at, hint: 'Scope the table, or emit events yourself with emitWebhookEvent().' },
          ),
        );
      }
    } catch { /* the firewall rules report it */ }
  }
  return out;
}
