/**
 * vitest globalSetup of the mutation tests (vitest.stryker.config.ts): analyzes the fixture of the
 * RLS layer's test (src/compiler/rls/layer.test.ts) once per run instead of once per mutant, and
 * hands the model to the test (`inject('rlsLayerModel')`). Without it the test analyzes it itself.
 */
import type { TestProject } from 'vitest/node';
import { analyze } from '../../src/compiler/index.js';
import type { AppModel } from '../../src/compiler/model/ir.js';
import { copyFixture } from '../helpers/project.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rlsLayerModel?: AppModel;
  }
}

/** A hard-delete feature whose delete rule is narrower than its update rule (the example's are all soft). */
const LOGS_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("logs", {
  columns: { id: q.id(), message: q.text().required(), organizationId: q.scope("organization") },
  read: { access: { roles: ["member+"] } },
  crud: {
    create: { access: { roles: ["member+"] } },
    update: { access: { roles: ["member+"] } },
    delete: { access: { roles: ["owner"] }, mode: "hard" },
  },
});
`;

/** The helpdesk example on neon with Better Auth's admin plugin (user.role: the platform admin), plus `logs`. */
export async function rlsLayerModel(): Promise<AppModel> {
  const root = copyFixture('helpdesk', 'rls-layer', {
    files: { 'quickback/features/logs/logs.ts': LOGS_FEATURE },
    config: [
      ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'],
      [
        'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
        'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["admin"],',
      ],
    ],
  });
  return (await analyze(root)).model;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('rlsLayerModel', await rlsLayerModel());
}
