/**
 * @module compiler/validate/capability/config
 * NOT_SUPPORTED checks for top-level config keys (`domain`, `auth.jwt`, `cms`, ...).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { configCapabilities, notSupported } from '../capabilities.js';
import { configError } from '../project.js';
import { isRecord, valueAtDotted } from '../util.js';
import { EDITION } from './providers.js';

export function configCapabilityDiagnostics(project: LoadedProject): Diagnostic[] {
  if (!isRecord(project.config)) return [];
  const out: Diagnostic[] = [];
  for (const entry of configCapabilities) {
    if (entry.built) continue;
    const value = valueAtDotted(project.config, entry.path);
    if (value === undefined) continue;
    if ('value' in entry && value !== entry.value) continue;
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(entry.what, EDITION),
        entry.path,
        entry.hint ?? `Remove \`${entry.path}\` for now.`,
      ),
    );
  }
  return out;
}
