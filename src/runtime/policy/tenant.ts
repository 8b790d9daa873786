/**
 * @module quickback/tenant
 * Who the request acts as, before anything is read: `?organizationId=` addressing (reference
 * §5.3), the auth gate, the tenant scope and the role phase of access. Addressing an
 * organization other than the active one needs platform admin (403
 * ACCESS_CROSS_TENANT_FORBIDDEN); without an active organization it is honoured for verified
 * members (with their roles there), platform admins, and rules open to PUBLIC.
 */
import type { Context } from 'hono';
import { allowsAnonymous, evaluateAccess, isPlatformAdmin, type AccessRule } from './access.js';
import type { AppContext } from '../core/context.js';
import { authRequired } from '../core/auth-required.js';
import { apiError } from '../core/errors.js';
import { requireScope } from './firewall.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { QuickbackEnv, C } from '../core/types.js';

const SIGN_IN = 'Sign in first: POST /auth/v1/sign-in/email';

/** The context of this request after `?organizationId=` addressing. */
export async function tenantContext(c: C, rule: AccessRule): Promise<AppContext> {
  const ctx = c.get('ctx');
  const requested = c.req.query('organizationId');
  if (requested === undefined || requested === '' || requested === ctx.activeOrgId) return ctx;
  const forbidden = () =>
    apiError('ACCESS_CROSS_TENANT_FORBIDDEN', {
      hint: 'Switch your active organization instead: POST /auth/v1/organization/set-active',
    });
  if (requested.length > 255) throw forbidden();
  if (isPlatformAdmin(ctx)) return { ...ctx, activeOrgId: requested, activeTeamId: null, roles: [] };
  if (ctx.activeOrgId !== null) throw forbidden();
  if (ctx.authenticated) {
    const roles = await c.get('memberRoles')?.(requested, ctx.userId!);
    if (roles) return { ...ctx, activeOrgId: requested, activeTeamId: null, roles };
  }
  if (allowsAnonymous(rule)) return { ...ctx, activeOrgId: requested, activeTeamId: null, roles: [] };
  if (!ctx.authenticated) throw authRequired(c, SIGN_IN);
  throw forbidden();
}

/** Auth gate, tenant scope and the role phase of access: nothing has been read yet. */
export async function authorize(c: C, resource: ResourceDefinition | null, rule: AccessRule): Promise<AppContext> {
  const ctx = await tenantContext(c, rule);
  if (!ctx.authenticated && !allowsAnonymous(rule)) throw authRequired(c, SIGN_IN);
  if (resource) requireScope(resource, ctx, () => authRequired(c, SIGN_IN));
  if (!evaluateAccess(rule, ctx)) throw roleRequired(rule);
  return ctx;
}

export function roleRequired(rule: AccessRule) {
  return apiError('ACCESS_ROLE_REQUIRED', { details: { required: rule.roles ?? [] } });
}

export function requireRecordAccess(rule: AccessRule, ctx: AppContext, row: Record<string, unknown>): void {
  if (!evaluateAccess(rule, ctx, row)) throw apiError('ACCESS_CONDITION_FAILED');
}
