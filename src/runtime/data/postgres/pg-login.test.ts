import { describe, expect, it } from 'vitest';
import { preludeFetch } from './neon-http.js';
import { apiDatabaseUrl, apiLoginStatement, SERVICE_PRELUDE, SERVICE_ROLE, serviceSession } from './pg-login.js';

describe('apiDatabaseUrl: the login the API uses on PostgreSQL', () => {
  it("swaps DATABASE_URL's user for quickback_api, keeping password, host, database and parameters", () => {
    expect(apiDatabaseUrl({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/app' })).toBe(
      'postgres://quickback_api@127.0.0.1:5432/app',
    );
    expect(
      apiDatabaseUrl({
        DATABASE_URL: 'postgresql://neondb_owner:s3cr%40t@ep-x-pooler.eu.aws.neon.tech/neondb?sslmode=require',
      }),
    )
      .toBe('postgresql://quickback_api:s3cr%40t@ep-x-pooler.eu.aws.neon.tech/neondb?sslmode=require');
  });

  it('keeps a Supavisor tenant suffix (postgres.<project> → quickback_api.<project>)', () => {
    expect(apiDatabaseUrl({ DATABASE_URL: 'postgres://postgres.abcdef:pw@aws-0-eu.pooler.supabase.com:5432/postgres' }))
      .toBe('postgres://quickback_api.abcdef:pw@aws-0-eu.pooler.supabase.com:5432/postgres');
  });

  it('names the user as ?user= where the URL has no user part (a Unix socket) or already has one', () => {
    expect(apiDatabaseUrl({ DATABASE_URL: 'postgres:///app?host=/var/run/postgresql' })).toBe(
      'postgres:///app?host=%2Fvar%2Frun%2Fpostgresql&user=quickback_api',
    );
    expect(apiDatabaseUrl({ DATABASE_URL: 'postgres://db/app?user=owner' })).toBe(
      'postgres://quickback_api@db/app?user=quickback_api',
    );
  });

  it('leaves a URL that already logs in as quickback_api as it is; API_DATABASE_URL wins', () => {
    expect(apiDatabaseUrl({ DATABASE_URL: 'postgres://quickback_api:pw@db/app' })).toBe(
      'postgres://quickback_api:pw@db/app',
    );
    expect(
      apiDatabaseUrl({
        DATABASE_URL: 'postgres://owner@db/app',
        API_DATABASE_URL: 'postgres://authenticator:pw@db/app',
      }),
    ).toBe('postgres://authenticator:pw@db/app');
    expect(apiDatabaseUrl({})).toBeUndefined();
  });

  it('connections act as service_role before they are handed out', async () => {
    const sent: string[] = [];
    await serviceSession.onConnect({
      query: async (text) => {
        sent.push(text);
      },
    });
    expect(sent).toEqual([SERVICE_ROLE]);
    await expect(serviceSession.onConnect({
      query: async () => {
        throw new Error('permission denied to set role "service_role"');
      },
    })).rejects.toThrow('service_role');
  });

  it("over Neon's HTTP driver, a query without a prelude of its own gets the service prelude; an empty one opts out", async () => {
    const sent: string[] = [];
    const fetch = preludeFetch(async (_url, init) => {
      sent.push(String(init.body));
      const body = JSON.parse(String(init.body));
      return Response.json('queries' in body ? { results: body.queries.map(() => ({ rows: [] })) } : { rows: [] });
    }, SERVICE_PRELUDE);
    await fetch('http://db/sql', { method: 'POST', body: JSON.stringify({ query: 'select 1', params: [] }) });
    await fetch(
      'http://db/sql',
      { method: 'POST', body: JSON.stringify({ query: 'select 2', params: [] }), quickbackPrelude: '' } as RequestInit,
    );
    expect(JSON.parse(sent[0])).toEqual({
      queries: [{ query: SERVICE_PRELUDE, params: [] }, { query: 'select 1', params: [] }],
    });
    expect(JSON.parse(sent[1])).toEqual({ query: 'select 2', params: [] });
  });

  it("the migration creates the login with DATABASE_URL's password only when there is one, and never for the login itself", () => {
    const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
    const statement = apiLoginStatement('postgres://owner:it%27s%20secret@db/app', literal);
    expect(statement).toContain(
      "CREATE ROLE quickback_api LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'it''s secret';",
    );
    expect(statement).toContain("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quickback_api')");
    expect(statement).toContain('EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;');
    expect(apiLoginStatement('postgres://owner@db/app', literal)).toBeNull();
    expect(apiLoginStatement('postgres://quickback_api.ref:pw@db/app', literal)).toBeNull();
  });
});
