/**
 * Encrypted columns (seed 003) on PostgreSQL (the vault fixture on neon, RLS on): create, PATCH,
 * the action db's update and insert store `qbenc:` ciphertext and answer plaintext; the data key
 * lives in `org_data_keys`, which the API's own role cannot read (service role only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { createOrg, type User } from '../helpers/orgs.js';
import { pgInProcessTarget, psql } from '../helpers/pg-target.js';
import { ONE_BACKEND, PGLITE } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { runCli } from '../cli/run-cli.js';

const KEK = 'ab'.repeat(32);
const NEW_KEK = 'cd'.repeat(32);
let t: Awaited<ReturnType<typeof pgInProcessTarget>>;
let owner: User;
let root: string;
let org: string;

beforeAll(async () => {
  root = copyFixture('vault', 'vault-neon', { config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']] });
  t = await pgInProcessTarget(root, 'vault_neon', { ENCRYPTION_KEK: KEK });
  owner = await signUp(t.fetch, t.baseURL, 'Owner');
  org = await createOrg(owner, 'Vault');
}, 120_000);
afterAll(async () => t?.close());

describe('encrypted columns on neon (RLS on)', () => {
  if (PGLITE)
    console.log(
      `[postgres] skipped on PGlite: the encrypted write paths and key rotation (${ONE_BACKEND}; the data-key store reads org_data_keys on the pool)`,
    );
  it.skipIf(PGLITE)('stores ciphertext on every write path and answers plaintext', async () => {
    const created = await owner.api('POST', '/api/v1/guests', {
      name: 'Ada',
      emergencyContact: 'Grace, +1 555 0100',
      dietaryNotes: 'no nuts',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ emergencyContact: 'Grace, +1 555 0100', dietaryNotes: 'no nuts' });
    const id = created.body.id as string;
    const row = () => t.readRow('guests', id)!;
    expect(row().emergency_contact).toMatch(/^qbenc:1:1:/);
    expect(JSON.stringify(row())).not.toContain('no nuts');
    expect((await owner.api('PATCH', `/api/v1/guests/${id}`, { dietaryNotes: 'vegan' })).body.dietaryNotes).toBe(
      'vegan',
    );
    expect(String(row().dietary_notes)).toMatch(/^qbenc:/);
    const action = await owner.api('POST', `/api/v1/guests/${id}/setContact`, { contact: 'Alan, +44 20 0000' });
    expect(action.status).toBe(200);
    expect((await owner.api('GET', `/api/v1/guests/${id}`)).body).toMatchObject({
      emergencyContact: 'Alan, +44 20 0000',
      dietaryNotes: 'vegan',
    });
    expect(String(row().emergency_contact)).toMatch(/^qbenc:/);
    const imported = await owner.api('POST', '/api/v1/guests/import', { name: 'Bob', notes: 'halal' });
    expect(imported.status).toBe(200);
    const list = await owner.api('GET', '/api/v1/guests?view=all');
    expect(list.body.data.map((g: { dietaryNotes: string }) => g.dietaryNotes).sort()).toEqual(['halal', 'vegan']);
  });

  it.skipIf(PGLITE)(
    "quickback keys rotate re-wraps under the new KEK, and keys shred makes the organization's values unreadable",
    async () => {
      const env = { DATABASE_URL: t.url };
      const rotate = await runCli(['keys', 'rotate', '--cwd', root, '--json'], {
        ...env,
        ENCRYPTION_KEK: NEW_KEK,
        ENCRYPTION_KEK_PREVIOUS: KEK,
      });
      expect(rotate.code, rotate.stderr).toBe(0);
      expect(JSON.parse(rotate.stdout).rewrapped).toBe(1);
      const rotated = t.createApp({ ENCRYPTION_KEK: NEW_KEK });
      const cookie = [...owner.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const list = async (app: typeof rotated) =>
        (await app.request(new Request(`${t.baseURL}/api/v1/guests?view=all`, { headers: { cookie } }))).json();
      expect((await list(rotated)).data.map((g: { dietaryNotes: string }) => g.dietaryNotes).sort()).toEqual([
        'halal',
        'vegan',
      ]);
      const shred = await runCli(['keys', 'shred', '--cwd', root, '--org', org, '--yes', '--json'], {
        ...env,
        ENCRYPTION_KEK: NEW_KEK,
      });
      expect(JSON.parse(shred.stdout)).toMatchObject({ ok: true, removed: 1 });
      expect(await list(t.createApp({ ENCRYPTION_KEK: NEW_KEK }))).toMatchObject({
        code: 'ENCRYPTED_VALUE_UNREADABLE',
        details: { reason: 'key-shredded' },
      });
    },
  );

  it('keeps org_data_keys away from the API role (only the service role reads wrapped keys)', () => {
    psql(
      t.url,
      "INSERT INTO public.org_data_keys (id, org_id, version, wrapped_key) VALUES ('1:org_x', 'org_x', 1, 'x')",
    );
    expect(Number(psql(t.url, 'SELECT count(*) FROM public.org_data_keys'))).toBe(1);
    expect(() =>
      psql(
        t.url,
        "BEGIN; SELECT set_config('role', 'authenticated', true); SELECT count(*) FROM public.org_data_keys; ROLLBACK;",
      )
    )
      .toThrow(/permission denied for table org_data_keys/);
  });
});
