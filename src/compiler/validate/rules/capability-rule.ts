/**
 * @module compiler/validate/rules/capability-rule
 * "Not built yet": every option, target or feature marked `built: false` in capabilities.ts is
 * reported as QB_VALIDATE_NOT_SUPPORTED when it is set, so nothing is silently ignored.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { configCapabilityDiagnostics } from '../capability/config.js';
import { providerCapabilityDiagnostics } from '../capability/providers.js';
import { resourceCapabilityDiagnostics } from '../capability/resources.js';

export function capabilityRule(project: LoadedProject): Diagnostic[] {
  return [
    ...providerCapabilityDiagnostics(project),
    ...configCapabilityDiagnostics(project),
    ...resourceCapabilityDiagnostics(project),
  ];
}
