import { describe, expect, it } from 'vitest';
import { q } from '../../dsl/columns/q.js';
import { defineAuth, defineDatabase, defineRuntime } from '../../dsl/providers.js';
import { sortDiagnostics } from '../../shared/diagnostics.js';
import type { ResourceInput } from '../load/types.js';
import { config, project, resource, summary } from './test-project.js';
import { validate } from './index.js';

function richConfig() {
  return config({
    template: 'hono',
    providers: {
      runtime: defineRuntime('bun'),
      database: defineDatabase('libsql', {
        generateId: 'prefixed',
        namingConvention: 'snake_case',
        usePlurals: true,
        splitDatabases: false,
        vars: { SES_REGION: 'eu-west-1' },
      }),
      auth: defineAuth('better-auth', {
        emailAndPassword: {
          enabled: true,
          requireEmailVerification: false,
          minPasswordLength: 10,
          maxPasswordLength: 128,
          autoSignIn: true,
        },
        session: { expiresInDays: 7, updateAgeInDays: 1 },
        rateLimit: { enabled: true, window: 60, max: 100, customRules: { '/sign-in/email': { window: 10, max: 3 } } },
        socialProviders: { google: { enabled: true, clientId: 'public-client-id' }, github: true, discord: false },
        debugLogs: false,
        plugins: { organization: true, apiKey: true, admin: true, passkey: false },
        trustedOrigins: ['https://app.example.com'],
      }),
    },
    features: ['organizations'],
    auth: { roleHierarchy: ['viewer', 'member', 'admin', 'owner'] },
    trustedOrigins: ['http://localhost:5173'],
    dev: { port: 8787 },
    build: { outputDir: 'server', packageManager: 'pnpm', dependencies: { zod: '^4.0.0' } },
    compiler: {
      migrations: { renames: { tables: { old_tickets: 'tickets' }, columns: { 'tickets.summary': 'title' } } },
    },
  });
}

function richResources(): ResourceInput[] {
  return [
    resource(
      'customers',
      {
        id: q.id(),
        name: q.text({ maxLength: 80 }).required().searchable(),
        code: q.text().unique(),
        organizationId: q.scope('organization'),
      },
      { read: { access: { roles: ['PUBLIC'] } }, create: { access: { roles: ['admin+'] } } },
    ),
    resource('tickets', {
      id: q.id(),
      title: q.text({ minLength: 1, maxLength: 140 }).required().searchable().filterable('like'),
      priority: q.enum(['low', 'normal', 'urgent']).default('normal').filterable(),
      points: q.integer({ min: -10, max: 10 }).default(0),
      ratio: q.number({ min: 0, max: 1 }).default(0.5),
      open: q.boolean().default(true),
      dueAt: q.timestamp().default('2026-05-13T10:00:00.000Z'),
      dueOn: q.date().default('2026-05-13'),
      seenAt: q.timestamp().defaultNow(),
      meta: q.json<{ tags: string[] }>().default({ tags: [] }),
      homepage: q.url(),
      contact: q.email(),
      assigneeId: q.text(),
      customerId: q.text().references('customers', { onDelete: 'cascade' }),
      customerCode: q.text().references('customers.code'),
      organizationId: q.scope('organization'),
    }, {
      unique: [{ columns: ['organizationId', 'title'] }],
      firewallErrorMode: 'hide',
      read: { access: { or: [{ roles: ['member+'] }, { userRole: ['admin'] }] } },
      crud: {
        create: { access: { roles: ['member+'] } },
        update: {
          access: {
            or: [
              { roles: ['admin+'] },
              { roles: ['viewer'], and: [{ record: { assigneeId: { equals: '$ctx.userId' } } }] },
            ],
          },
        },
        delete: {
          access: {
            roles: ['owner'],
            record: { points: { lessThan: 5 }, priority: { in: ['low'] }, deletedAt: { equals: null } },
          },
          mode: 'soft',
        },
      },
    }),
    resource(
      'notes',
      { id: q.id(), body: q.text(), ownerId: q.scope('owner') },
      { firewall: [{ field: 'ownerId', equals: 'ctx.userId' }, { field: 'deletedAt', isNull: true }] },
    ),
    resource(
      'memos',
      { id: q.id(), body: q.text(), authorId: q.text() },
      {
        firewall: { owner: { column: 'authorId', mode: 'required' }, softDelete: true, errorMode: 'reveal' },
        delete: { mode: 'hard' },
      },
    ),
    resource(
      'pages',
      { id: q.id(), slug: q.text().unique() },
      { firewall: { exception: true }, read: { access: { roles: ['PUBLIC'] } } },
    ),
    resource('jobs', { id: q.id(), payload: q.json() }, { internal: true }),
    resource('legacy', { id: q.id(), createdAt: q.timestamp(), orgId: q.text() }, {}, { form: 'drizzle' }),
  ];
}

describe('validate', () => {
  it('reports nothing for a valid rich project', () => {
    expect(validate(project({ config: richConfig(), resources: richResources() }))).toEqual([]);
  });

  it('reports every problem at once', () => {
    const broken = config({ name: undefined as never, dev: { port: 'x' as never } });
    (broken.providers.database.options as Record<string, unknown>).generateID = 'uuid';
    const diagnostics = validate(project({
      config: broken,
      resources: [
        resource(
          'tickets',
          { id: q.id(), createdAt: q.timestamp(), organizationId: q.scope('organization') },
          { read: { access: { roles: ['membr'] } }, guards: { createable: ['createdAt'] } },
        ),
        resource(
          'tickets',
          { id: q.id(), userId: q.text(), orgId: q.text() },
          {},
          { file: 'quickback/features/other/tickets.ts' },
        ),
      ],
    }));
    expect(summary(diagnostics)).toEqual([
      'QB_VALIDATE_DUPLICATE_FEATURE @ features.tickets',
      'QB_VALIDATE_AMBIGUOUS_SCOPE @ features.tickets.columns',
      'QB_VALIDATE_DUPLICATE_FEATURE @ features.tickets',
      'QB_VALIDATE_RESERVED_COLUMN @ features.tickets.columns.createdAt',
      'QB_VALIDATE_INVALID_GUARDS @ features.tickets.guards.createable[0]',
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.read.access.roles[0]',
      'QB_VALIDATE_INVALID_OPTION @ dev.port',
      'QB_VALIDATE_MISSING_OPTION @ name',
      'QB_VALIDATE_UNKNOWN_OPTION @ providers.database.generateID',
    ]);
    expect(diagnostics.every((d) => d.severity === 'error' && d.file && d.message)).toBe(true);
  });

  it('is deterministic: sorted, and independent of resource order', () => {
    const resources = [
      resource('b', { id: q.id(), x: q.text().references('nope') }),
      resource('a', { id: q.id(), orgId: q.text(), teamId: q.text() }, { read: { access: { roles: ['*'] } } }),
    ];
    const first = validate(project({ resources }));
    const second = validate(project({ resources: [...resources].reverse() }));
    expect(first.length).toBeGreaterThan(2);
    expect(second).toEqual(first);
    expect(sortDiagnostics(first)).toEqual(first);
  });

  it('turns a rule that throws into one QB_INTERNAL diagnostic and keeps the others', () => {
    const diagnostics = validate(project(), [
      {
        name: 'boom',
        run: () => {
          throw new Error('bad');
        },
      },
      { name: 'ok', run: () => [{ code: 'QB_VALIDATE_INVALID_OPTION', severity: 'error', message: 'x', at: 'name' }] },
    ]);
    expect(summary(diagnostics)).toEqual(['QB_INTERNAL @ ', 'QB_VALIDATE_INVALID_OPTION @ name']);
  });

  it('copes with a config that is not an object', () => {
    const diagnostics = validate(project({ config: 42, resources: richResources() }));
    expect(summary(diagnostics)).toEqual([
      // "viewer" is only in the rich config's hierarchy: the default one applies
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.crud.update.access.or[1].roles[0]',
      'QB_VALIDATE_INVALID_OPTION @ ',
    ]);
  });
});
