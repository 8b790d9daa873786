import { describe, expect, it } from 'vitest';
import { rowAsSeenBy } from '../realtime/realtime.js';
import type { ResourceDefinition } from '../../core/resource.js';
import { chosenRoles, covers, endpointRoles, readerOf } from './webhook-readers.js';

const HIERARCHY = ['member', 'admin', 'owner'];
const options = { roleHierarchy: HIERARCHY, adminRoles: ['owner', 'admin'] };
const tickets = {
  name: 'tickets',
  id: { key: 'id', type: 'text', clientIds: false },
  firewall: { predicates: [{ column: 'organizationId', equals: 'ctx.activeOrgId' }], errorMode: 'reveal' },
  access: { read: { roles: ['member', 'admin', 'owner'] } },
  masking: { phone: { type: 'phone', show: { roles: ['owner'], userRole: [] }, query: { roles: ['owner'] } } },
} as unknown as ResourceDefinition;
const row = { id: 't1', title: 'T', phone: '+1 555 123 4567', organizationId: 'o1' };

describe('whom a webhook endpoint reads as', () => {
  it('an organization endpoint reads as its recorded roles; one saved before roles were recorded as the least admin role', () => {
    expect(endpointRoles({ organizationId: 'o1', roles: ['owner'] }, options)).toEqual(['owner']);
    expect(endpointRoles({ organizationId: 'o1', roles: null }, options)).toEqual(['admin']);
    expect(endpointRoles({ organizationId: 'o1', roles: 'owner' }, options)).toEqual(['admin']);
    expect(readerOf({ organizationId: 'o1', roles: ['admin'] }, options)).toMatchObject({
      activeOrgId: 'o1',
      userId: null,
      roles: ['admin'],
    });
    expect(readerOf({ organizationId: null, userId: 'u1', roles: null }, options)).toMatchObject({
      activeOrgId: null,
      userId: 'u1',
      roles: [],
    });
  });

  it('shapes the row exactly as that role reads it (the Workers path runs the same function)', () => {
    const as = (roles: string[] | null, org = 'o1') =>
      rowAsSeenBy(tickets, readerOf({ organizationId: org, roles }, options), row);
    expect(as(['owner'])?.phone).toBe('+1 555 123 4567');
    expect(as(['admin'])?.phone).not.toContain('555 123');
    expect(as(null)?.phone).toBe(as(['admin'])?.phone);
    expect(as(['owner'], 'o2')).toBeNull();
  });

  it("a role may be recorded at or below the caller's; a caller changes only endpoints it covers", () => {
    expect(chosenRoles(['admin'], undefined, HIERARCHY)).toEqual(['admin']);
    expect(chosenRoles(['owner'], 'member', HIERARCHY)).toEqual(['member']);
    expect(() => chosenRoles(['admin'], 'owner', HIERARCHY)).toThrow();
    expect(() => chosenRoles(['admin'], 'auditor', HIERARCHY)).toThrow();
    expect(chosenRoles(['auditor'], 'auditor', HIERARCHY)).toEqual(['auditor']);
    expect([
      covers(['owner'], ['admin'], HIERARCHY),
      covers(['admin'], ['owner'], HIERARCHY),
      covers(['admin'], ['admin', 'member'], HIERARCHY),
    ]).toEqual([true, false, true]);
  });
});
