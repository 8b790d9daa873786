/**
 * The list route's page query of a compiled app, as SQL, for EXPLAIN (test/compile/list-indexes,
 * bench/scale): the generated ResourceDefinition of a feature, the firewall and list-query code
 * of src/runtime (the files the app copies), and `pageQuery` of list-route.ts, so the statement
 * explained is the one the route sends — not a hand-written copy. Plus the helpdesk tickets seed
 * (direct multi-row INSERTs) and the plan checks both use.
 */
import { and } from 'drizzle-orm';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppContext } from '../../src/runtime/core/context.js';
import { firewallWhere } from '../../src/runtime/policy/firewall.js';
import { parseListQuery } from '../../src/runtime/data/list.js';
import { pageQuery } from '../../src/runtime/routes/list-route.js';
import type { ResourceDefinition } from '../../src/runtime/core/resource.js';
import type { QueryDatabase } from '../../src/runtime/core/types.js';

export function memberContext(orgId: string, userId = 'usr_member'): AppContext {
  return {
    authenticated: true,
    userId,
    userRole: 'user',
    activeOrgId: orgId,
    activeTeamId: null,
    roles: ['member'],
    user: { id: userId, email: 'm@example.com', name: 'M' },
  };
}

/** `src/features/<slug>/<slug>.resource.ts` of a compiled app: `<camel>Resource`. */
export async function loadResource(root: string, slug: string): Promise<ResourceDefinition> {
  const mod =
    (await import(pathToFileURL(path.join(root, 'src', 'features', slug, `${slug}.resource.ts`)).href)) as Record<
      string,
      ResourceDefinition
    >;
  const found = Object.entries(mod).find(([name]) => name.endsWith('Resource'));
  if (!found) throw new Error(`no resource exported by ${slug}.resource.ts`);
  return found[1];
}

/** The SQL and parameters of GET /<resource>?<params> for this caller (firewall AND query filters; the list order; limit + 1). */
export function listStatement(
  resource: ResourceDefinition,
  ctx: AppContext,
  dialect: 'sqlite' | 'postgresql',
  params: Record<string, string> = {},
): { sql: string; params: unknown[] } {
  const db = (dialect === 'sqlite' ? sqliteDrizzle.mock() : pgDrizzle.mock()) as unknown as QueryDatabase;
  const query = parseListQuery(resource, params);
  return (pageQuery(db, resource, and(firewallWhere(resource, ctx), query.where), query) as {
    toSQL(): { sql: string; params: unknown[] };
  }).toSQL();
}

/** SQLite EXPLAIN QUERY PLAN details: `SEARCH t USING INDEX i (organization_id=?)`. Bad: a temp b-tree (a sort) or a full SCAN. */
export function sqlitePlanProblems(details: string[], index: string): string[] {
  const problems: string[] = [];
  if (!details.some((d) => d.includes(`USING INDEX ${index} (`) || d.includes(`USING COVERING INDEX ${index} (`)))
    problems.push(`not a search of ${index}`);
  if (details.some((d) => /TEMP B-TREE/.test(d))) problems.push('sorts in a temp b-tree');
  if (details.some((d) => /^SCAN /.test(d))) problems.push('scans the table');
  return problems;
}

/** PostgreSQL EXPLAIN text: an index scan of `index`, no Sort, no Seq Scan, no filter on the scope column (other tenants' rows read and dropped). */
export function pgPlanProblems(plan: string, index: string, scopeColumn: string): string[] {
  const problems: string[] = [];
  if (!new RegExp(`Index (Only )?Scan using ${index} on`).test(plan)) problems.push(`not an index scan of ${index}`);
  if (/\bSort\b/.test(plan)) problems.push('sorts');
  if (/Seq Scan/.test(plan)) problems.push('seq scan');
  if (plan.split('\n').some((l) => /^\s*Filter:/.test(l) && l.includes(scopeColumn)))
    problems.push(`filters on ${scopeColumn}`);
  return problems;
}

/** One multi-row INSERT of helpdesk tickets (columns of its v0 and current schema alike): `rows` of [id, organizationId, createdAt, deletedAt]. */
export function ticketsInsert(
  rows: [string, string, string, string | null][],
  placeholder: (n: number) => string,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const values = rows.map((row) => {
    const at = params.length;
    params.push(row[0], `Ticket ${row[0]}`, row[1], row[2], row[2], row[3]);
    return `(${[1, 2, 3, 4, 5, 6].map((i) => placeholder(at + i)).join(', ')}, 'normal', false)`;
  });
  return {
    sql:
      `INSERT INTO tickets (id, title, organization_id, created_at, modified_at, deleted_at, priority, done) VALUES ${
        values.join(', ')
      }`,
    params,
  };
}

/** ISO text of the i-th second after 2026-01-01 (the text timestamps the API stores). */
export const isoAt = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
