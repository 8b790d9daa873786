/**
 * @module compiler/validate/rules/duplicate-feature-rule
 * Two definitions with the same feature name (compared case-insensitively, as SQLite compares
 * table names) would emit the same table and routes: each occurrence is reported, naming the
 * other files.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceError } from '../project.js';

function describeOthers(resource: ResourceInput, others: ResourceInput[]): string {
  return others.map((o) => (o.file === resource.file ? 'another export of this file' : o.file)).join(', ');
}

export function duplicateFeatureRule(project: LoadedProject): Diagnostic[] {
  const groups = new Map<string, ResourceInput[]>();
  for (const resource of project.resources) {
    const key = String(resource.name).toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), resource]);
  }
  const out: Diagnostic[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const resource of group) {
      const others = group.filter((o) => o !== resource);
      out.push(
        resourceError(
          resource,
          'QB_VALIDATE_DUPLICATE_FEATURE',
          `Feature "${resource.name}" is also defined in ${describeOthers(resource, others)}`,
          [],
          'Rename one of them: feature names must be unique across quickback/features.',
        ),
      );
    }
  }
  return out;
}
