/**
 * @module emitters/auth-supabase
 * `src/auth/index.ts` for `defineAuth("supabase-auth")`: no Better Auth; the request pipeline
 * verifies Supabase Auth's access tokens (runtime lib/quickback/auth/providers/supabase-auth.ts). Without
 * organizations, nobody has organization roles or teams.
 */
import { withBanner } from '../banner.js';
import type { Emitter } from '../../compiler/emit/contract.js';
import { lines, runtimeImport } from '../print-utils.js';

export const authSupabaseEmitter = {
  id: 'auth-supabase',
  applies: (model) => model.auth.provider === 'supabase-auth',
  emit: (model) => [{
    path: 'src/auth/index.ts',
    ownership: 'compiler',
    emitter: 'auth-supabase',
    contents: withBanner(
      'ts',
      model.configFile,
      lines(
        'import type { AuthDatabase } from "../db/index.js";',
        'import type { Env } from "../env.js";',
        runtimeImport(['supabaseAuth', 'type AuthLike', 'type MemberRoles', 'type TeamMembership']),
        '',
        "/** Supabase Auth's access tokens (Authorization: Bearer), verified against SUPABASE_URL's JWKS or SUPABASE_JWT_SECRET. */",
        'export function authForApp(_db: AuthDatabase, env: Env): AuthLike {',
        '  return supabaseAuth(env);',
        '}',
        '',
        '/** Organizations are off with Supabase Auth: nobody has organization roles. */',
        'export function memberRolesFor(_db: AuthDatabase): MemberRoles {',
        '  return async () => null;',
        '}',
        '',
        '/** No teams either. */',
        'export function teamMembershipFor(_db: AuthDatabase): TeamMembership {',
        '  return async () => false;',
        '}',
      ),
    ),
  }],
} satisfies Emitter;
