/**
 * @module emitters/auth-external/print/auth
 * `src/auth/index.ts` when another Worker owns users and sessions: the same three functions the
 * Better Auth wiring exports (auth, member roles, team membership), each asking the service
 * binding with the caller's own credentials.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, lines, runtimeImport } from '../../print-utils.js';

export function printExternalAuth(model: AppModel): string {
  const { binding, service, basePath, proxy } = model.auth.external!;
  return withBanner(
    'ts',
    model.configFile,
    lines(
      importLine(['Bindings'], '../env.js', true),
      runtimeImport([
        'externalAuth',
        'externalMemberRoles',
        'externalTeamMembership',
        'type AuthLike',
        'type MemberRoles',
        'type TeamMembership',
      ]),
      '',
      `/** Where the auth Worker "${service}" (service binding ${binding}) serves Better Auth. */`,
      `const basePath = ${JSON.stringify(basePath)};`,
      '',
      proxy
        ? `/** Sessions from the auth Worker; /auth/v1/* is forwarded to it (${basePath}/*). */`
        : '/** Sessions from the auth Worker; clients sign in there directly (proxy: false). */',
      'export function authForApp(bindings: Bindings): AuthLike {',
      `  return externalAuth(bindings.${binding}, { basePath, proxy: ${proxy} });`,
      '}',
      '',
      "/** The caller's roles in an organization, as the auth Worker knows them. */",
      'export function memberRolesFor(bindings: Bindings, headers: Headers): MemberRoles {',
      `  return externalMemberRoles(bindings.${binding}, basePath, headers);`,
      '}',
      '',
      '/** Whether the caller is (still) in a team, as the auth Worker knows it. */',
      'export function teamMembershipFor(bindings: Bindings, headers: Headers): TeamMembership {',
      `  return externalTeamMembership(bindings.${binding}, basePath, headers);`,
      '}',
    ),
  );
}
