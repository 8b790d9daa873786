/**
 * The world the attack suites run in: the helpdesk example (plus a `tasks` feature whose read
 * rule has a record condition), compiled and served in-process, its AppModel, and a cast of
 * callers: organization A (owner, admin, member), organization B (owner, member), a signed-in user
 * with no organization, and an anonymous caller. Each feature gets seed rows in both organizations.
 */
import { analyze } from '../../src/compiler/index.js';
import type { AppModel, FeatureModel } from '../../src/compiler/model/ir.js';
import { createCaller, type Caller } from '../helpers/client.js';
import { addMember, createOrg, signUpAll, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { TASKS_FEATURE } from '../conformance/pipeline-cast.js';
import { createBody } from './values.js';

export const SEED = 20261124;

export type ActorName = 'anonymous' | 'loner' | 'ownerA' | 'adminA' | 'memberA' | 'ownerB' | 'memberB';

export interface Actor {
  name: ActorName;
  caller: Caller;
  userId: string | null;
  org: 'A' | 'B' | null;
  /** Organization roles in the active organization. */
  roles: string[];
}

export interface World {
  t: ConformanceTarget;
  model: AppModel;
  features: FeatureModel[];
  actors: Record<ActorName, Actor>;
  /** Seed row ids per feature and organization. */
  rows: Record<string, { A: string[]; B: string[] }>;
  orgIds: Record<'A' | 'B', string>;
}

/**
 * `target`: how the compiled app is served (default: in-process on better-sqlite3); `config`:
 * replacements in its config; `files`: extra project files (features, actions, handlers).
 */
export async function createWorld(
  label: string,
  seedRows = 3,
  target: (root: string) => Promise<ConformanceTarget> = (root) => inProcessTarget(root, 'better-sqlite3'),
  config: [string, string][] = [],
  files: Record<string, string> = {},
): Promise<World> {
  const root = copyFixture('helpdesk', label, {
    files: { 'quickback/features/tasks/tasks.ts': TASKS_FEATURE, ...files },
    config,
  });
  const t = await target(root);
  const { model } = await analyze(root);
  const [alice, adam, carol, bob, mallory, lou] = await signUpAll(t.fetch, t.baseURL, [
    'Alice',
    'Adam',
    'Carol',
    'Bob',
    'Mallory',
    'Lou',
  ]);
  const orgA = await createOrg(alice, 'Acme');
  await addMember(alice, adam, orgA, 'admin');
  await addMember(alice, carol, orgA, 'member');
  const orgB = await createOrg(bob, 'Bobco');
  await addMember(bob, mallory, orgB, 'member');
  const actor = (name: ActorName, user: User | null, org: Actor['org'], roles: string[]): Actor => ({
    name,
    caller: user ?? createCaller(t.fetch, t.baseURL),
    userId: user?.userId ?? null,
    org,
    roles,
  });
  const actors: Record<ActorName, Actor> = {
    anonymous: actor('anonymous', null, null, []),
    loner: actor('loner', lou, null, []),
    ownerA: actor('ownerA', alice, 'A', ['owner']),
    adminA: actor('adminA', adam, 'A', ['admin']),
    memberA: actor('memberA', carol, 'A', ['member']),
    ownerB: actor('ownerB', bob, 'B', ['owner']),
    memberB: actor('memberB', mallory, 'B', ['member']),
  };
  const features = model.features.filter((f) => !f.internal);
  const rows: World['rows'] = {};
  for (const feature of sortByDependencies(features)) {
    rows[feature.name] = { A: [], B: [] };
    for (const org of ['A', 'B'] as const) {
      const owner = actors[org === 'A' ? 'ownerA' : 'ownerB'];
      for (let i = 0; i < seedRows; i++) {
        const body = createBody(feature, i, (target) => rows[target]?.[org][0]);
        if (feature.id.strategy === false) body[feature.id.key] = `${feature.slug}-${org}-${i}`;
        const res = await owner.caller.api('POST', feature.routePath, body);
        if (res.status !== 201)
          throw new Error(`seeding ${feature.name} in ${org} failed: ${res.status} ${JSON.stringify(res.body)}`);
        rows[feature.name][org].push(String(res.body[feature.id.key]));
      }
    }
  }
  return { t, model, features, actors, rows, orgIds: { A: orgA, B: orgB } };
}

/** Parents before children, so references can point at seeded rows. */
function sortByDependencies(features: FeatureModel[]): FeatureModel[] {
  const parents = (f: FeatureModel) =>
    f.table.columns.flatMap((c) => (c.references && c.references.table !== f.name ? [c.references.table] : []));
  const done = new Set<string>();
  const out: FeatureModel[] = [];
  for (let round = 0; out.length < features.length; round++) {
    if (round > features.length) throw new Error('features reference each other in a cycle');
    for (const f of features)
      if (!done.has(f.name) && parents(f).every((p) => done.has(p) || !features.some((g) => g.name === p))) {
        done.add(f.name);
        out.push(f);
      }
  }
  return out;
}

/** Every row of a feature in the database, keyed by id (to prove nothing changed). */
export function snapshotRows(world: World, feature: FeatureModel, ids: string[]): string {
  return JSON.stringify(ids.map((id) => world.t.readRow(feature.table.sqlName, id)));
}
