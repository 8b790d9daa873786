/**
 * The cast of the pipeline suites: the helpdesk example plus two test-only features (`tasks`:
 * members read only rows assigned to them; `standups`: team-scoped), and five users: Alice owns
 * organization A, Carol and Erin are members of it (Erin has no active organization), Bob owns
 * organization B, Dave belongs to none.
 */
import { afterAll, beforeAll } from 'vitest';
import { addMember, createOrg, signUpAll, type User } from '../helpers/orgs.js';
import type { ConformanceTarget } from '../helpers/target.js';

/** Extra feature for the suite: members see only the tasks assigned to them (a record condition on read). */
export const TASKS_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("tasks", {
  columns: { id: q.id(), title: q.text().required(), assigneeId: q.text().optional(), organizationId: q.scope("organization") },
  read: { access: { or: [{ roles: ["admin+"] }, { roles: ["member"], record: { assigneeId: { equals: "$ctx.userId" } } }] } },
  create: { access: { roles: ["admin+"] } },
});
`;

/** Extra feature: rows isolated per team (teams live inside organizations). */
export const STANDUPS_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("standups", {
  columns: { id: q.id(), note: q.text().required(), teamId: q.scope("team") },
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
});
`;

export const PIPELINE_FILES = {
  'quickback/features/tasks/tasks.ts': TASKS_FEATURE,
  'quickback/features/standups/standups.ts': STANDUPS_FEATURE,
};

export interface Cast {
  t: ConformanceTarget;
  alice: User;
  bob: User;
  carol: User;
  dave: User;
  erin: User;
  orgA: string;
  orgB: string;
}

/** Registers beforeAll/afterAll hooks that build the cast; read it inside tests. */
export function useCast(setup: () => Promise<ConformanceTarget>): Cast {
  const cast = {} as Cast;
  beforeAll(async () => {
    cast.t = await setup();
    [cast.alice, cast.bob, cast.carol, cast.dave, cast.erin] = await signUpAll(cast.t.fetch, cast.t.baseURL, [
      'Alice',
      'Bob',
      'Carol',
      'Dave',
      'Erin',
    ]);
    cast.orgA = await createOrg(cast.alice, 'Acme');
    cast.orgB = await createOrg(cast.bob, 'Bobco');
    await addMember(cast.alice, cast.carol, cast.orgA, 'member');
    await addMember(cast.alice, cast.erin, cast.orgA, 'member');
    await cast.erin.auth.organization.setActive({ organizationId: null });
  }, 120_000);
  afterAll(async () => cast.t?.close());
  return cast;
}
