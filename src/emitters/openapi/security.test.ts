/**
 * The ways in that the OpenAPI document declares, per auth configuration: exactly the schemes the
 * runtime's auth chain reads (API key header and query, Quickback's bearer token, Better Auth's
 * session token with the bearer plugin, the cookie, Supabase's access token), and per operation
 * the schemes its route accepts, `{}` when an anonymous caller passes, `[]` when nobody's
 * credentials change the answer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, emptyProject } from '../../../test/helpers/project.js';
import { EXTERNAL_AUTH } from '../../../test/helpers/worker.js';
import { analyze } from '../../compiler/index.js';
import { API_KEY_PARAMS } from '../../runtime/auth/api-key.js';
import { RESERVED_PARAMS } from '../../runtime/data/list.js';
import { validateDocument } from './openapi.testkit.js';
import { buildOpenApi } from './print/openapi.js';
import { RESERVED } from './print/parameters.js';

type Doc = Record<string, any>;
const docs: Record<string, Doc> = {};

/** Extra helpdesk features: a catalogue nobody's credentials change, and a PUBLIC list inside organizations. */
const FILES = {
  'quickback/features/catalogue/catalogue.ts': `import { feature, q } from "@quickback/compiler";
export default feature("catalogue", { columns: { id: q.id(), name: q.text().required() }, firewall: { exception: true }, read: { access: { roles: ["PUBLIC"] } } });
`,
  'quickback/features/notices/notices.ts': `import { feature, q } from "@quickback/compiler";
export default feature("notices", { columns: { id: q.id(), body: q.text().required(), organizationId: q.scope("organization") }, read: { access: { roles: ["PUBLIC"] } } });
`,
};
const BEARER: [string, string] = [
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["bearer"],',
];
const PRIVATE_DOC: [string, string] = [
  'features: { organizations: true },',
  'features: { organizations: true },\n  openapi: { publish: false },',
];
const SUPABASE = `import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";
export default defineConfig({ name: "supa", providers: { runtime: defineRuntime("node"), database: defineDatabase("supabase"), auth: defineAuth("supabase-auth") } });
`;

beforeAll(async () => {
  const variants: [string, string][] = [];
  const build = async (label: string, root: string) => {
    docs[label] = buildOpenApi((await analyze(root)).model);
    variants.push([label, root]);
  };
  await build('helpdesk', copyFixture('helpdesk', 'openapi-sec'));
  await build('bearer', copyFixture('helpdesk', 'openapi-sec-bearer', { config: [BEARER, PRIVATE_DOC], files: FILES }));
  await build('solo', copyFixture('solo', 'openapi-sec-solo'));
  await build('external', copyFixture('helpdesk', 'openapi-sec-ext', { config: EXTERNAL_AUTH }));
  await build(
    'external-jwt',
    copyFixture('helpdesk', 'openapi-sec-ext-jwt', {
      config: [...EXTERNAL_AUTH, ['auth: { roleHierarchy', 'auth: { jwt: { expiresIn: 300 }, roleHierarchy']],
    }),
  );
  await build(
    'supabase',
    emptyProject('openapi-sec-supa', {
      'quickback/quickback.config.ts': SUPABASE,
      'quickback/features/notes/notes.ts':
        'import { feature, q } from "@quickback/compiler";\nexport default feature("notes", { columns: { id: q.id(), body: q.text().required(), ownerId: q.scope("owner") } });\n',
    }),
  );
}, 60_000);

const schemes = (label: string) => Object.keys(docs[label].components.securitySchemes);
const names = (security: Record<string, unknown>[]) => security.map((s) => Object.keys(s)[0] ?? '{}');
const op = (label: string, path: string, method: string) => docs[label].paths[path][method];
const operations = (doc: Doc) =>
  Object.entries<Doc>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Doc>(item).map(([method, o]) => ({ at: `${method} ${path}`, op: o }))
  );

describe('OpenAPI security', () => {
  it('declares exactly the schemes the auth chain reads, in its order', () => {
    expect(schemes('helpdesk')).toEqual(['apiKeyHeader', 'apiKeyQuery', 'bearerToken', 'sessionCookie']);
    expect(schemes('bearer')).toEqual(['apiKeyHeader', 'apiKeyQuery', 'bearerToken', 'sessionToken', 'sessionCookie']);
    expect(schemes('solo')).toEqual(['bearerToken', 'sessionCookie']);
    expect(schemes('external')).toEqual(['sessionCookie']);
    expect(schemes('external-jwt')).toEqual(['bearerToken', 'sessionCookie']);
    expect(schemes('supabase')).toEqual(['supabaseAccessToken']);
    const { securitySchemes } = docs.helpdesk.components;
    expect(securitySchemes.apiKeyHeader).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(securitySchemes.apiKeyQuery).toMatchObject({ type: 'apiKey', in: 'query', name: API_KEY_PARAMS[0] });
    expect(securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(securitySchemes.sessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'better-auth.session_token',
    });
    expect(docs['external-jwt'].components.securitySchemes.bearerToken.description).toContain('valid 300 s');
  });

  it.each(['helpdesk', 'bearer', 'solo', 'external', 'external-jwt', 'supabase'])(
    '%s: every operation states its security, only with declared schemes, and each scheme is used',
    async (label) => {
      const doc = docs[label];
      const used = new Set<string>();
      for (const { at, op: o } of operations(doc)) {
        expect(Array.isArray(o.security), at).toBe(true);
        for (const name of names(o.security).filter((n) => n !== '{}')) {
          expect(schemes(label), at).toContain(name);
          used.add(name);
        }
      }
      expect([...used].sort()).toEqual(schemes(label).sort());
      expect(doc.security).toEqual(schemes(label).map((s) => ({ [s]: [] })));
      expect(await validateDocument(doc)).toEqual({ valid: true, errors: [] });
    },
  );

  it('signed-in routes take every scheme; anonymous callers add {} only where they pass', () => {
    const chain = schemes('bearer');
    expect(names(op('bearer', '/api/v1/tickets', 'get').security)).toEqual(chain);
    expect(names(op('bearer', '/api/v1/tickets/open-count', 'get').security)).toEqual(chain);
    expect(names(op('bearer', '/api/v1/notices', 'get').security)).toEqual([...chain, '{}']);
    expect(names(op('bearer', '/api/v1/notices', 'post').security)).toEqual(chain);
    // Nothing a caller sends changes an unscoped, unmasked PUBLIC list: no security at all.
    expect(op('bearer', '/api/v1/catalogue', 'get').security).toEqual([]);
    expect(op('bearer', '/api/v1/catalogue/{id}', 'get').security).toEqual([]);
    expect(names(op('bearer', '/api/v1/catalogue/batch', 'post').security)).toEqual(chain);
    // A user-scoped PUBLIC read still needs a caller (401 before access is judged).
    expect(names(op('solo', '/api/v1/bookmarks', 'get').security)).toEqual(schemes('solo'));
    expect(op('supabase', '/api/v1/notes', 'get').security).toEqual([{ supabaseAccessToken: [] }]);
  });

  it('the platform routes: the token only for a session, email status and a public document for anyone', () => {
    expect(names(op('bearer', '/api/v1/token', 'post').security)).toEqual(['sessionToken', 'sessionCookie']);
    expect(names(op('helpdesk', '/api/v1/token', 'post').security)).toEqual(['sessionCookie']);
    expect(names(op('external-jwt', '/api/v1/token', 'post').security)).toEqual(['sessionCookie']);
    expect(docs.external.paths['/api/v1/token']).toBeUndefined();
    expect(docs.supabase.paths['/api/v1/token']).toBeUndefined();
    expect(op('helpdesk', '/api/v1/system/email-status', 'get').security).toEqual([]);
    expect(op('helpdesk', '/openapi.json', 'get').security).toEqual([]);
    expect(names(op('bearer', '/openapi.json', 'get').security)).toEqual(['sessionToken', 'sessionCookie']);
    expect(names(op('helpdesk', '/api/v1/schema', 'get').security)).toEqual(schemes('helpdesk'));
  });

  it('never documents the API key parameters as list filters', () => {
    expect([...RESERVED].sort()).toEqual([...RESERVED_PARAMS].sort());
    for (const name of API_KEY_PARAMS) expect(RESERVED.has(name)).toBe(true);
  });
});
