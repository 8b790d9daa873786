import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { defineAuth, defineDatabase, defineRuntime, type DatabaseKind } from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, resource, summary } from '../test-project.js';
import { webhooksRule } from './webhooks-rule.js';

const tickets = (spec: ResourceSpec) =>
  resource('tickets', { id: q.id(), title: q.text(), organizationId: q.scope('organization') }, spec);
const logs = (spec: ResourceSpec) => resource('logs', { id: q.id(), line: q.text() }, spec);
const cfg = (extra: object, database: DatabaseKind = 'better-sqlite3', dbOptions: object = {}) => config({
  providers: {
    runtime: defineRuntime('node'),
    database: defineDatabase(database, dbOptions as never),
    auth: defineAuth('better-auth'),
  },
  ...extra,
});
const check = (c: ReturnType<typeof config>, ...resources: ReturnType<typeof tickets>[]) =>
  webhooksRule(project({ config: c, resources }));

describe('webhooks rule', () => {
  it('accepts webhooks with table events and admin roles, with no diagnostics from any rule', () => {
    expect(
      validate(
        project({
          config: cfg({ webhooks: { allowInsecure: true } }, 'better-sqlite3', { webhookAdminRoles: ['admin+'] }),
          resources: [tickets({ webhooks: { onDelete: false } })],
        }),
      ),
    ).toEqual([]);
  });

  it('accepts PostgreSQL on every runtime, and refuses unknown admin roles', () => {
    expect(check(cfg({ webhooks: {} }, 'neon'))).toEqual([]);
    const workers = config({
      webhooks: {},
      providers: {
        runtime: defineRuntime('cloudflare'),
        database: defineDatabase('neon'),
        auth: defineAuth('better-auth'),
      },
    });
    expect(check(workers)).toEqual([]);
    expect(summary(check(cfg({}, 'better-sqlite3', { webhookAdminRoles: ['owner', 'boss'] })))).toEqual([
      'QB_VALIDATE_INVALID_ACCESS @ providers.database.webhookAdminRoles[1]',
    ]);
  });

  it("warns when a table's webhooks cannot fire", () => {
    expect(summary(check(cfg({}), tickets({ webhooks: true })))).toEqual([
      'QB_WARN_OPTION_NO_EFFECT @ features.tickets.webhooks',
    ]);
    expect(summary(check(cfg({ webhooks: {} }), logs({ webhooks: true })))).toEqual([
      'QB_WARN_OPTION_NO_EFFECT @ features.logs.webhooks',
    ]);
  });
});
