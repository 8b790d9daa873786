/**
 * @module emitters/better-auth/print/lookups
 * The membership lookups of `src/auth/index.ts` the request context uses: a user's roles in an
 * organization (read on every session-authenticated API request) and whether a user is still in
 * a team. Without organizations (or teams) they answer "none".
 */
import type { AppModel } from '../../../compiler/model/ir.js';

export function memberLookup(model: AppModel): string[] {
  if (!model.auth.organizations && !model.auth.plugins.includes('organization')) {
    return [
      '/** Organizations are off: nobody has organization roles. */',
      'export function memberRolesFor(_db: AuthDatabase): MemberRoles {',
      '  return async () => null;',
      '}',
    ];
  }
  const member = model.auth.tables.find((t) => t.name === 'member')!.exportName;
  return [
    '/** Roles of a user in an organization (null when not a member); read on every authenticated API request. */',
    'export function memberRolesFor(db: AuthDatabase): MemberRoles {',
    '  return async (organizationId, userId) => {',
    `    const [row] = await db.select({ role: authSchema.${member}.role }).from(authSchema.${member})`,
    `      .where(and(eq(authSchema.${member}.organizationId, organizationId), eq(authSchema.${member}.userId, userId))).limit(1);`,
    '    return row ? splitRoles(row.role) : null;',
    '  };',
    '}',
  ];
}

export function teamLookup(model: AppModel): string[] {
  if (!model.auth.plugins.includes('teams')) {
    return [
      '/** Teams are off: no active team counts. */',
      'export function teamMembershipFor(_db: AuthDatabase): TeamMembership {',
      '  return async () => false;',
      '}',
    ];
  }
  const teamMember = model.auth.tables.find((t) => t.name === 'teamMember')!.exportName;
  const team = model.auth.tables.find((t) => t.name === 'team')!.exportName;
  return [
    '/** Whether a user is (still) in a team; the active team counts only then. */',
    'export function teamMembershipFor(db: AuthDatabase): TeamMembership {',
    '  return async (teamId, userId, organizationId) => {',
    `    const [row] = await db.select({ id: authSchema.${teamMember}.id }).from(authSchema.${teamMember})`,
    `      .innerJoin(authSchema.${team}, eq(authSchema.${team}.id, authSchema.${teamMember}.teamId))`,
    `      .where(and(eq(authSchema.${teamMember}.teamId, teamId), eq(authSchema.${teamMember}.userId, userId), eq(authSchema.${team}.organizationId, organizationId))).limit(1);`,
    '    return row !== undefined;',
    '  };',
    '}',
  ];
}
