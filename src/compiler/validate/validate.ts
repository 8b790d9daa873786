/**
 * @module compiler/validate/validate
 * Stage 2: `validate(project)` runs every rule and returns every problem at once, sorted. Pure:
 * no IO, no console output. A rule that throws (a bug) becomes one QB_INTERNAL diagnostic
 * instead of hiding what the other rules found.
 */
import { sortDiagnostics, type Diagnostic } from '../../shared/diagnostics.js';
import type { LoadedProject } from '../load/types.js';
import type { Rule } from './project.js';
import { rules as defaultRules } from './rules/index.js';

export function validate(
  project: LoadedProject,
  rules: readonly { name: string; run: Rule }[] = defaultRules,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    try {
      out.push(...rule.run(project));
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      out.push({
        code: 'QB_INTERNAL',
        severity: 'error',
        message: `The ${rule.name} rule failed: ${reason}`,
        hint: 'This is a bug in the compiler; please report it with your definitions.',
      });
    }
  }
  return sortDiagnostics(out);
}
