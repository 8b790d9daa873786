/**
 * @module emitters/better-auth/print/user-sessions
 * PostgreSQL RLS (seed 001): Better Auth `databaseHooks` that mirror a session's active
 * organization (and team) into `user_sessions` on every session create and update, so a direct
 * SQL client's RLS helpers see the organization the user last chose. Setting "no organization"
 * writes NULL, which revokes SQL-side organization access (fail closed).
 */
import type { AppModel } from '../../../compiler/model/ir.js';

/** The `databaseHooks` option of betterAuth({...}) (indented for the options block). */
export function userSessionHooks(model: AppModel): string[] {
  if (!model.rlsSupport) return [];
  return [
    'databaseHooks: {',
    '  session: {',
    '    create: { after: (session) => mirrorSession(session) },',
    '    update: { after: (session) => mirrorSession(session) },',
    '  },',
    '},',
  ];
}

/** `mirrorSession`, declared inside createAuth (it writes through the auth database handle). */
export function mirrorSessionFunction(model: AppModel): string[] {
  if (!model.rlsSupport) return [];
  const { exportName } = model.rlsSupport.table;
  const field = (name: string) => `typeof fields.${name} === "string" ? fields.${name} : null`;
  return [
    '  /** Mirrors the active organization/team of a created or updated session into user_sessions (RLS helpers read it). */',
    '  const mirrorSession = async (session: { userId: string }) => {',
    '    const fields = session as Record<string, unknown>;',
    `    const row = { activeOrganizationId: ${field('activeOrganizationId')}, activeTeamId: ${
      field('activeTeamId')
    }, updatedAt: new Date().toISOString() };`,
    `    await db.insert(${exportName}).values({ userId: session.userId, ...row }).onConflictDoUpdate({ target: ${exportName}.userId, set: row });`,
    '  };',
  ];
}
