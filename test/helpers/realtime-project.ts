/**
 * The helpdesk with realtime on, for the realtime suites: tickets (fields), comments (admins only,
 * no updates), notes (owner-scoped), and relationship tickets: a "watcher" (a row of the
 * organization-scoped `watchers` table) gets the channel of one ticket and reads tickets as that role.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFixture } from './project.js';

export const WATCHERS = `import { feature, q } from "@quickback/compiler";

/** Who follows a ticket: the relationship behind the "watcher" role (realtime wsTicket). */
export default feature("watchers", {
  columns: {
    id: q.id(),
    ticketId: q.text().required().references("tickets"),
    userId: q.text().required(),
    organizationId: q.scope("organization"),
  },
  // The organization's admins link users to tickets; userId is the linked user, not an owner.
  firewall: { organization: { column: "organizationId" } },
});
`;

/** Redis storage (events, nonces and auth changes fan out through it): `config` for two-process targets. */
export const REDIS: [string, string][] = [
  [
    '    auth: defineAuth("better-auth", {',
    '    storage: defineStorage("redis", { url: "redis://127.0.0.1:6379" }),\n    auth: defineAuth("better-auth", {',
  ],
  ['import { defineAuth,', 'import { defineStorage, defineAuth,'],
];

/** One edit of a feature file: [path under quickback/features, text to find, replacement]. */
export type FeatureEdit = [file: string, from: string, to: string];

/** A copy of the helpdesk with realtime, wsTicket and the watchers table on, then `config` and the feature `edits`. */
export function wsTicketProject(label: string, config: [string, string][], edits: FeatureEdit[]): string {
  const root = copyFixture('helpdesk', label, {
    config: [
      [
        'generateId: "prefixed" }',
        'generateId: "prefixed", realtime: { wsTicket: { role: "watcher", requestField: "ticketId", scopeTable: "tickets" } } }',
      ],
      [
        'export default defineConfig({',
        'export default defineConfig({\n  authz: { roles: { watcher: { via: "watchers" } } },',
      ],
      ...config,
    ],
    files: { 'quickback/features/watchers/watchers.ts': WATCHERS },
  });
  for (const [file, from, to] of edits) {
    const full = path.join(root, 'quickback', 'features', file);
    const text = readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${file}: ${from} not found`);
    writeFileSync(full, text.replace(from, to));
  }
  return root;
}

/** The realtime suites' project: tickets cut to `fields`, comments for admins only (no updates), owner-scoped notes. */
export function realtimeProject(label: string, config: [string, string][]): string {
  return wsTicketProject(label, config, [
    [
      'tickets/tickets.ts',
      '  read: { access: { roles: ["member+"] } },',
      '  realtime: { fields: ["title", "priority", "customerEmail", "organizationId"] },\n  read: { access: { roles: ["member+", "watcher"] } },',
    ],
    ['comments/comments.ts', '  read: {', '  realtime: { requiredRoles: ["admin+"], onUpdate: false },\n  read: {'],
    [
      'notes/notes.ts',
      '    ownerId: q.scope("owner"),\n  },',
      '    ownerId: q.scope("owner"),\n  },\n  realtime: true,',
    ],
  ]);
}
