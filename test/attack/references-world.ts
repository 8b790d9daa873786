/**
 * The world of the references suite: the attack world with client ids (so PUT and batch upsert
 * exist) plus `events` (organization, hard delete: a link to one blocks its delete) and `rsvps`,
 * whose rows reference an event (required), a ticket (organization, soft delete) and a note
 * (owner), written through every route and through two actions' `db` (an insert and an update).
 */
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { createWorld, type World } from './world.js';

const member = '{ access: { roles: ["member+"] } }';

const EVENTS = `import { feature, q } from "@quickback/compiler";
export default feature("events", {
  columns: { id: q.id(), name: q.text().required(), organizationId: q.scope("organization") },
  read: ${member},
  crud: { create: ${member}, update: ${member}, delete: { access: { roles: ["member+"] }, mode: "hard" } },
});
`;

const RSVPS = `import { feature, q } from "@quickback/compiler";
export default feature("rsvps", {
  columns: {
    id: q.id(),
    eventId: q.text().required().references("events"),
    ticketId: q.text().optional().references("tickets"),
    noteId: q.text().optional().references("notes"),
    organizationId: q.scope("organization"),
  },
  read: ${member},
  crud: { create: ${member}, update: ${member}, delete: ${member} },
});
`;

const refs =
  'eventId: z.string().max(255).optional(), ticketId: z.string().max(255).optional(), noteId: z.string().max(255).optional()';
const ACTIONS = `import { defineActions } from "@quickback/compiler";
import { z } from "zod";
import rsvps from "./rsvps";

export default defineActions(rsvps, {
  link: {
    description: "Create an RSVP through the action db", standalone: true, path: "/rsvps/link",
    input: z.object({ id: z.string().min(1).max(100), ${refs} }),
    access: { roles: ["member+"] },
    handler: "./handlers/link",
  },
  move: {
    description: "Point an RSVP elsewhere through the action db",
    input: z.object({ ${refs} }),
    access: { roles: ["member+"] },
    handler: "./handlers/move",
  },
});
`;

const handler = (name: string, body: string) => `import type { ActionHandler } from "#quickback";
import type { RsvpsActionInput } from "../../../../src/features/rsvps/rsvps.actions.js";
import { rsvps } from "../../../../src/features/rsvps/rsvps.schema.js";

export const execute: ActionHandler<RsvpsActionInput<"${name}">> = async ({ db, input, whereRecord }) => {
${body}
};
`;

export const REFERENCE_FILES: Record<string, string> = {
  'quickback/features/events/events.ts': EVENTS,
  'quickback/features/rsvps/rsvps.ts': RSVPS,
  'quickback/features/rsvps/actions.ts': ACTIONS,
  'quickback/features/rsvps/handlers/link.ts': handler(
    'link',
    '  const [row] = await db.insert(rsvps).values({ ...input }).returning();\n  return row;',
  ),
  'quickback/features/rsvps/handlers/move.ts': handler(
    'move',
    '  const [row] = await db.update(rsvps).set({ ...input }).where(whereRecord).returning();\n  return row;',
  ),
};

const CLIENT_IDS: [string, string] = ['generateId: "prefixed"', 'generateId: false'];

export type Dialect = 'sqlite' | 'postgresql';

export function referencesWorld(dialect: Dialect): Promise<World> {
  const target: (root: string) => Promise<ConformanceTarget> = dialect === 'sqlite'
    ? (root) => inProcessTarget(root, 'better-sqlite3')
    : (root) => pgInProcessTarget(root, 'attack_refs');
  const config: [string, string][] = dialect === 'sqlite'
    ? [CLIENT_IDS]
    : [CLIENT_IDS, ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']];
  return createWorld(`attack-refs-${dialect}`, 2, target, config, REFERENCE_FILES);
}
