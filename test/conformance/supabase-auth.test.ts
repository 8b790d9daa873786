/**
 * `defineAuth("supabase-auth")` on the supabase target: Supabase-issued access tokens, HS256 with
 * the project's JWT secret and ES256 from its JWKS (a local server standing in for
 * SUPABASE_URL/auth/v1/.well-known/jwks.json), become the same auth context; every refusal has
 * its 401 code; the data is isolated per user by the API and by RLS.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySupabaseToken } from '../../src/runtime/auth/providers/supabase-auth.js';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { emptyProject, REPO } from '../helpers/project.js';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const CONFIG = `import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";
export default defineConfig({
  name: "supa",
  providers: { runtime: defineRuntime("node"), database: defineDatabase("supabase"), auth: defineAuth("supabase-auth") },
});
`;
const NOTES = `import { feature, q } from "@quickback/compiler";
export default feature("notes", { columns: { id: q.id(), body: q.text().required(), ownerId: q.scope("owner") } });
`;

let root: string;
let jwks: Server;
let supabaseUrl: string;
let target: Awaited<ReturnType<typeof pgInProcessTarget>>;
let es256: Awaited<ReturnType<typeof generateKeyPair>>;

async function token(
  sub: string,
  options: {
    alg?: 'HS256' | 'ES256';
    exp?: string | number;
    aud?: string;
    iss?: string;
    role?: string;
    secret?: string;
    appRole?: string;
  } = {},
): Promise<string> {
  const alg = options.alg ?? 'HS256';
  const jwt = new SignJWT({
    role: options.role ?? 'authenticated',
    email: `${sub.slice(0, 8)}@example.com`,
    app_metadata: options.appRole ? { role: options.appRole } : {},
    user_metadata: { role: 'admin' },
  })
    .setProtectedHeader({ alg, typ: 'JWT', ...(alg === 'ES256' ? { kid: 'test-key' } : {}) })
    .setSubject(sub).setIssuer(options.iss ?? `${supabaseUrl}/auth/v1`).setAudience(options.aud ?? 'authenticated')
    .setIssuedAt().setExpirationTime(options.exp ?? '1h');
  return alg === 'ES256' ? jwt.sign(es256.privateKey) : jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function call(method: string, path: string, bearer?: string, body?: unknown) {
  const res = await target.fetch(new Request(`${target.baseURL}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}

beforeAll(async () => {
  es256 = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(es256.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  jwks = createServer((req, res) => {
    if (req.url !== '/auth/v1/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  supabaseUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  root = emptyProject('supabase-auth', {
    'quickback/quickback.config.ts': CONFIG,
    'quickback/features/notes/notes.ts': NOTES,
  });
  target = await pgInProcessTarget(root, 'supabase_auth', { SUPABASE_URL: supabaseUrl, SUPABASE_JWT_SECRET: SECRET });
}, 120_000);
afterAll(async () => {
  await target?.close();
  jwks?.close();
});

describe("supabase-auth: Supabase access tokens as the API's credentials", () => {
  it('compiles to an app that type-checks under tsc --strict (no Better Auth in it)', () => {
    execFileSync(process.execPath, [
      path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--noEmit',
      '--strict',
      '-p',
      path.join(root, 'tsconfig.json'),
    ], { stdio: 'pipe' });
    expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies).not.toHaveProperty(
      'better-auth',
    );
  }, 120_000);

  const ada = randomUUID();
  const bea = randomUUID();

  it("accepts HS256 (JWT secret) and ES256 (JWKS) tokens, and isolates each user's rows (API and RLS)", async () => {
    const hs = await token(ada);
    const es = await token(bea, { alg: 'ES256' });
    const mine = await call('POST', '/api/v1/notes', hs, { body: "Ada's note" });
    expect(mine.status).toBe(201);
    expect(mine.body.ownerId).toBe(ada);
    expect((await call('POST', '/api/v1/notes', es, { body: "Bea's note" })).status).toBe(201);
    expect((await call('GET', '/api/v1/notes', hs)).body.data.map((n: { body: string }) => n.body)).toEqual([
      "Ada's note",
    ]);
    expect((await call('GET', '/api/v1/notes', es)).body.data.map((n: { body: string }) => n.body)).toEqual([
      "Bea's note",
    ]);
    expect((await call('GET', `/api/v1/notes/${mine.body.id}`, es)).body.code).toBe('FIREWALL_NOT_FOUND');
    expect(target.readRow('notes', mine.body.id)).toMatchObject({ owner_id: ada, created_by: ada });
  });

  it('answers every refused token with its 401 code, and never trusts user_metadata', async () => {
    expect((await call('GET', '/api/v1/notes')).body.code).toBe('AUTH_MISSING');
    expect(
      (await call('GET', '/api/v1/notes', await token(ada, { exp: Math.floor(Date.now() / 1000) - 3600 }))).body.code,
    ).toBe('AUTH_EXPIRED');
    const invalid = [
      await token(ada, { secret: 'another-projects-secret-that-is-32-bytes-long' }),
      await token(ada, { aud: 'service' }),
      await token(ada, { iss: 'https://evil.example.com/auth/v1' }),
      await token(ada, { role: 'anon' }),
      new UnsecuredJWT({ role: 'authenticated' }).setSubject(ada).setIssuer(`${supabaseUrl}/auth/v1`).setAudience(
        'authenticated',
      ).setExpirationTime('1h').encode(),
      `${(await token(ada, { alg: 'ES256' })).slice(0, -4)}AAAA`,
      'not-a-jwt',
    ];
    for (const bad of invalid) {
      const res = await call('GET', '/api/v1/notes', bad);
      expect(res.status, bad).toBe(401);
      expect(res.body.code, bad).toBe('AUTH_INVALID_TOKEN');
    }
    // user_metadata.role is editable by the user: it never makes a platform admin; app_metadata.role does.
    const env = { SUPABASE_URL: supabaseUrl, SUPABASE_JWT_SECRET: SECRET };
    const roleOf = async (bearer: string) => {
      const verdict = await verifySupabaseToken(new Headers({ authorization: `Bearer ${bearer}` }), env);
      return verdict && 'session' in verdict ? verdict.session.user.role : verdict;
    };
    expect(await roleOf(await token(ada))).toBe('user');
    expect(await roleOf(await token(ada, { appRole: 'admin' }))).toBe('admin');
  });

  it("serves no auth routes (sign-in is Supabase's), and refuses to run without SUPABASE_URL", async () => {
    const signIn = await call('POST', '/auth/v1/sign-in/email');
    expect(signIn.status).toBe(404);
    expect(signIn.body).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      hint: expect.stringContaining(`${supabaseUrl}/auth/v1`),
    });
    const openapi = await (await target.fetch(new Request(`${target.baseURL}/openapi.json`))).json();
    expect(Object.keys(openapi.components.securitySchemes)).toEqual(['supabaseAccessToken']);
    expect(JSON.stringify(openapi)).not.toContain('sessionCookie');
    expect(openapi.paths['/api/v1/notes'].get.security).toEqual([{ supabaseAccessToken: [] }]);
    const unreachable = target.createApp({ SUPABASE_URL: 'http://127.0.0.1:9' });
    const down = await unreachable.request(
      new Request(`${target.baseURL}/api/v1/notes`, {
        headers: { authorization: `Bearer ${await token(ada, { alg: 'ES256', iss: 'http://127.0.0.1:9/auth/v1' })}` },
      }),
    );
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'AUTH_SERVICE_UNAVAILABLE' });
    const app = target.createApp({ SUPABASE_URL: '' });
    const res = await app.request(new Request(`${target.baseURL}/api/v1/notes`));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'MISSING_ENV', details: { missing: ['SUPABASE_URL'] } });
  });
});
