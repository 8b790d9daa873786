/**
 * @module compiler/validate/test-project
 * Test helper: plain-object LoadedProjects made with the real DSL (no files on disk).
 */
import type { ColumnBuilder } from '../../dsl/columns/builder.js';
import { defineConfig, type QuickbackConfigInput } from '../../dsl/config.js';
import type { ResourceSpec } from '../../dsl/feature.js';
import { defineAuth, defineDatabase, defineRuntime } from '../../dsl/providers.js';
import type { ActionsInput, LoadedProject, ResourceInput } from '../load/types.js';

export const CONFIG_FILE = 'quickback/quickback.config.ts';

/** A minimal valid config; `extra` is spread over it. */
export function config(extra: Partial<QuickbackConfigInput> = {}): QuickbackConfigInput {
  return defineConfig({
    name: 'test-app',
    providers: {
      runtime: defineRuntime('node'),
      database: defineDatabase('better-sqlite3'),
      auth: defineAuth('better-auth'),
    },
    features: { organizations: true },
    ...extra,
  });
}

export function fileOf(name: string): string {
  return `quickback/features/${name}/${name}.ts`;
}

/** A resource from q.* builders, as load would hand it over. */
export function resource(
  name: string,
  columns: Record<string, ColumnBuilder>,
  spec: ResourceSpec = {},
  extra: Partial<ResourceInput> = {},
): ResourceInput {
  return {
    name,
    file: fileOf(name),
    featureDir: name,
    form: 'feature',
    columns: Object.fromEntries(Object.entries(columns).map(([key, builder]) => [key, builder.toSpec()])),
    config: spec,
    internal: spec.internal === true,
    ...extra,
  };
}

export function project(
  parts: { config?: unknown; resources?: ResourceInput[]; actions?: ActionsInput[] } = {},
): LoadedProject {
  return {
    root: '/virtual/project',
    configFile: CONFIG_FILE,
    config: (parts.config === undefined ? config() : parts.config) as QuickbackConfigInput,
    resources: parts.resources ?? [],
    actions: parts.actions ?? [],
    sources: {},
    migrations: { auth: null, features: null },
    diagnostics: [],
    cache: null,
  };
}

/** `code @ at` pairs, for compact assertions. */
export function summary(diagnostics: readonly { code: string; at?: string }[]): string[] {
  return diagnostics.map((d) => `${d.code} @ ${d.at ?? ''}`);
}
