/**
 * Field-level envelope encryption (seed 003) through the generated API of the `vault` fixture:
 * every write path (create, PATCH, PUT-less batch create/update, action db insert/update) stores
 * `qbenc:` ciphertext and every read path (get, list, view, batch and action results) answers
 * plaintext under masking; the SQLite files hold no plaintext; ciphertext moved to another row,
 * column, table or organization fails with a coded error; the boot guard; KEK rotation (lazy and
 * `quickback keys rotate`); crypto-shredding; concurrent first writes of an organization.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { appEnv, compileAndMigrate, databaseFiles } from '../helpers/target.js';
import { runCli } from '../cli/run-cli.js';

const KEK = 'ab'.repeat(32);
const NEW_KEK = 'cd'.repeat(32);
const BASE = 'http://127.0.0.1:3000';

describe('encrypted columns (vault fixture, better-sqlite3)', () => {
  let root: string;
  let app: { request(r: Request): Promise<Response> };
  let createApp: (env: Record<string, string>) => typeof app;
  const fetch = (request: Request) => app.request(request);
  const start = (env: Record<string, string | undefined>) => {
    app = createApp({ ...appEnv(root, BASE), ...env } as Record<string, string>);
  };
  let owner: User;
  let member: User;
  let orgA: string;
  let owner2: User;
  let orgB: string;
  let gia: User;
  let orgG: string;
  let sql: Database.Database;
  const stored = (table: string, id: string) =>
    sql.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, string | null>;

  beforeAll(async () => {
    root = copyFixture('vault', 'vault');
    await compileAndMigrate(root, 'better-sqlite3');
    ({ createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href));
    start({ ENCRYPTION_KEK: KEK });
    owner = await signUp(fetch, BASE, 'Olive');
    member = await signUp(fetch, BASE, 'Max');
    orgA = await createOrg(owner, 'Alpha');
    await addMember(owner, member, orgA, 'member');
    sql = new Database(databaseFiles(root).features);
  }, 180_000);
  afterAll(() => sql?.close());

  it('stores ciphertext on every write path and answers plaintext on every read path', async () => {
    const created = await owner.api('POST', '/api/v1/guests', {
      name: 'Ada',
      emergencyContact: 'call Bob 555-0101',
      dietaryNotes: 'no peanuts',
      email: 'ada@example.com',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Ada',
      emergencyContact: 'call Bob 555-0101',
      dietaryNotes: 'no peanuts',
      email: 'ada@example.com',
    });
    const id = created.body.id as string;
    const row = stored('guests', id);
    for (const column of ['emergency_contact', 'dietary_notes', 'email'])
      expect(row[column]).toMatch(/^qbenc:1:1:[\w-]{16}:[\w-]+$/);
    expect(row.name).toBe('Ada');
    expect((await owner.api('GET', `/api/v1/guests/${id}`)).body).toMatchObject({
      emergencyContact: 'call Bob 555-0101',
      dietaryNotes: 'no peanuts',
    });

    const patched = await owner.api('PATCH', `/api/v1/guests/${id}`, { dietaryNotes: 'no tree nuts' });
    expect(patched.body.dietaryNotes).toBe('no tree nuts');
    expect(stored('guests', id).dietary_notes).toMatch(/^qbenc:/);
    expect(stored('guests', id).emergency_contact).toBe(row.emergency_contact);

    const list = await owner.api('GET', '/api/v1/guests?view=all');
    expect(list.body.data.find((g: { id: string }) => g.id === id)).toMatchObject({
      emergencyContact: 'call Bob 555-0101',
      dietaryNotes: 'no tree nuts',
    });
    const view = await owner.api('GET', '/api/v1/guests/views/card');
    expect(view.body.data.find((g: { id: string }) => g.id === id)).toEqual({
      id,
      name: 'Ada',
      dietaryNotes: 'no tree nuts',
    });

    const batch = await owner.api('POST', '/api/v1/guests/batch', {
      records: [{ name: 'Bea', dietaryNotes: 'vegan' }, { name: 'Cal', emergencyContact: 'call Dee' }],
    });
    expect(batch.status).toBe(201);
    expect(batch.body.success.map((g: Record<string, unknown>) => [g.dietaryNotes ?? null, g.emergencyContact ?? null]))
      .toEqual([['vegan', null], [null, 'call Dee']]);
    const [bea, cal] = batch.body.success.map((g: { id: string }) => g.id);
    expect(stored('guests', bea).dietary_notes).toMatch(/^qbenc:/);
    const batchUpdate = await owner.api('PATCH', '/api/v1/guests/batch', {
      records: [{ id: bea, dietaryNotes: 'vegan, no soy' }],
    });
    expect(batchUpdate.body.success[0].dietaryNotes).toBe('vegan, no soy');
    expect(stored('guests', bea).dietary_notes).toMatch(/^qbenc:/);

    const action = await owner.api('POST', `/api/v1/guests/${cal}/setContact`, { contact: 'call Eve 555-0199' });
    expect(action.status).toBe(200);
    expect(action.body).toMatchObject({ id: cal, emergencyContact: 'call Eve 555-0199' });
    expect(stored('guests', cal).emergency_contact).toMatch(/^qbenc:/);
    const imported = await owner.api('POST', '/api/v1/guests/import', { name: 'Fay', notes: 'kosher' });
    expect(imported.body).toMatchObject({ name: 'Fay', dietaryNotes: 'kosher', organizationId: orgA });
    expect(stored('guests', imported.body.id).dietary_notes).toMatch(/^qbenc:/);

    const sealed = await owner.api('POST', '/api/v1/guests/seal', { value: 'manifest 42', guestId: imported.body.id });
    expect(sealed.body).toMatchObject({
      opened: 'manifest 42',
      notes: 'kosher',
      stored: expect.stringMatching(/^qbenc:/),
    });
    expect(sealed.body.sealed).toMatch(/^qbenc:1:1:/);
  });

  it('masks on top of decryption: members get the redaction, never ciphertext', async () => {
    const { body } = await owner.api('POST', '/api/v1/guests', {
      name: 'Gus',
      emergencyContact: 'call Hal',
      dietaryNotes: 'halal',
    });
    const seen = await member.api('GET', `/api/v1/guests/${body.id}`);
    expect(seen.body.dietaryNotes).toBe('halal');
    expect(seen.body.emergencyContact).not.toMatch(/qbenc|Hal/);
    const listed = await member.api('GET', '/api/v1/guests?view=all');
    expect(JSON.stringify(listed.body)).not.toContain('qbenc:');
    const registry = (await member.api('GET', '/api/v1/schema')).body;
    const fields = registry.features.find((f: { name: string }) => f.name === 'guests').fields;
    expect(fields.filter((f: { encrypted?: boolean }) => f.encrypted).map((f: { key: string }) => f.key)).toEqual([
      'emergencyContact',
      'dietaryNotes',
      'email',
    ]);
  });

  it('a client that sends a ciphertext gets it stored as an opaque string, not adopted', async () => {
    const { body: a } = await owner.api('POST', '/api/v1/guests', { name: 'Ida', dietaryNotes: 'secret-ida' });
    const theirs = stored('guests', a.id).dietary_notes!;
    const { body: b } = await owner.api('POST', '/api/v1/guests', { name: 'Jo', dietaryNotes: theirs });
    expect((await owner.api('GET', `/api/v1/guests/${b.id}`)).body.dietaryNotes).toBe(theirs);
  });

  it('ciphertext moved to another row, column, table or organization never opens (100 % of moves)', async () => {
    owner2 = await signUp(fetch, BASE, 'Bo');
    orgB = await createOrg(owner2, 'Beta');
    const source = (await owner.api('POST', '/api/v1/guests', {
      name: 'Kit',
      emergencyContact: 'kit-contact',
      dietaryNotes: 'kit-notes',
    })).body.id;
    const target = (await owner.api('POST', '/api/v1/guests', {
      name: 'Lu',
      emergencyContact: 'lu-contact',
      dietaryNotes: 'lu-notes',
    })).body.id;
    const letter = (await owner.api('POST', '/api/v1/letters', { subject: 'hi', body: 'letter-body' })).body.id;
    const foreign = (await owner2.api('POST', '/api/v1/guests', { name: 'Mo', dietaryNotes: 'mo-notes' })).body.id;
    const value = stored('guests', source).dietary_notes;
    const moves: [string, string, string, () => Promise<{ status: number; body: any }>][] = [
      ['guests', 'dietary_notes', target, () => owner.api('GET', `/api/v1/guests/${target}`)],
      ['guests', 'emergency_contact', target, () => owner.api('GET', `/api/v1/guests/${target}`)],
      ['letters', 'body', letter, () => owner.api('GET', `/api/v1/letters/${letter}`)],
      ['guests', 'dietary_notes', foreign, () => owner2.api('GET', `/api/v1/guests/${foreign}`)],
    ];
    for (const [table, column, id, read] of moves) {
      const before = stored(table, id)[column];
      sql.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE id = ?`).run(value, id);
      const res = await read();
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({
        code: 'ENCRYPTED_VALUE_UNREADABLE',
        layer: 'encryption',
        details: { reason: 'tampered' },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/qbenc|kit-notes/);
      sql.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE id = ?`).run(before, id);
    }
    // A list decrypts only what it answers: the card view (no contact) still reads the row whose contact is broken.
    sql.prepare('UPDATE guests SET emergency_contact = ? WHERE id = ?').run(value, target);
    expect((await owner.api('GET', '/api/v1/guests/views/card?limit=100')).status).toBe(200);
    expect((await owner.api('GET', '/api/v1/guests?view=all&limit=100')).body.code).toBe('ENCRYPTED_VALUE_UNREADABLE');
    // ...and not what a member sees only as [REDACTED] (a redact mask): the answer does not depend on it.
    const redacted = await member.api('GET', '/api/v1/guests?view=all&limit=100');
    expect(redacted.status).toBe(200);
    expect(redacted.body.data.find((g: { id: string }) => g.id === target).emergencyContact).toBe('[REDACTED]');
    sql.prepare('UPDATE guests SET emergency_contact = NULL WHERE id = ?').run(target);
    // A whole row moved to another organization: its values are bound to their organization.
    sql.prepare('UPDATE guests SET organization_id = ? WHERE id = ?').run(orgB, source);
    expect((await owner2.api('GET', `/api/v1/guests/${source}`)).body.code).toBe('ENCRYPTED_VALUE_UNREADABLE');
    sql.prepare('UPDATE guests SET organization_id = ? WHERE id = ?').run(orgA, source);
    expect((await owner.api('GET', `/api/v1/guests/${source}`)).body.dietaryNotes).toBe('kit-notes');
  });
  it('concurrent first writes of a new organization create exactly one data key, and all of them read back', async () => {
    gia = await signUp(fetch, BASE, 'Gia');
    const org = (orgG = await createOrg(gia, 'Gamma'));
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => gia.api('POST', '/api/v1/guests', { name: `g${i}`, dietaryNotes: `race-${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(sql.prepare('SELECT count(*) AS n FROM org_data_keys WHERE org_id = ?').get(org)).toEqual({ n: 1 });
    for (const [i, r] of results.entries())
      expect((await gia.api('GET', `/api/v1/guests/${r.body.id}`)).body.dietaryNotes).toBe(`race-${i}`);
  });

  it('the database files hold no plaintext of any encrypted column (grep of the bytes)', async () => {
    sql.pragma('wal_checkpoint(TRUNCATE)');
    const dir = path.dirname(databaseFiles(root).features);
    // Read in a child process: closing a descriptor of the database file here would drop this
    // process's SQLite locks on it (POSIX advisory locks are per process).
    const bytes = readdirSync(dir).map((f) => execFileSync('cat', [path.join(dir, f)]).toString('latin1')).join('\n');
    const secrets = [
      'call Bob 555-0101',
      'no peanuts',
      'no tree nuts',
      'ada@example.com',
      'vegan, no soy',
      'call Eve 555-0199',
      'kosher',
      'kit-notes',
      'letter-body',
      'mo-notes',
      'race-7',
      'halal',
      'secret-ida',
    ];
    const found = secrets.filter((s) => bytes.includes(s));
    expect(found).toEqual([]);
    expect(bytes).toContain('qbenc:1:1:');
  });

  it('boot guard: no ENCRYPTION_KEK (or a malformed one) answers 503 MISSING_ENV instead of storing plaintext', async () => {
    start({ ENCRYPTION_KEK: '' });
    const missing = await owner.api('POST', '/api/v1/guests', { name: 'Nia', dietaryNotes: 'plain?' });
    expect(missing.status).toBe(503);
    expect(missing.body).toMatchObject({ code: 'MISSING_ENV', details: { missing: ['ENCRYPTION_KEK'] } });
    start({ ENCRYPTION_KEK: 'not-a-key' });
    expect((await owner.api('GET', '/api/v1/guests')).body).toMatchObject({
      code: 'MISSING_ENV',
      details: { invalid: ['ENCRYPTION_KEK'] },
    });
    expect(sql.prepare("SELECT count(*) AS n FROM guests WHERE name = 'Nia'").get()).toEqual({ n: 0 });
    start({ ENCRYPTION_KEK: KEK });
  });

  it('KEK rotation: ENCRYPTION_KEK_PREVIOUS opens and re-wraps lazily, `quickback keys rotate` does the rest; 100 % readable', async () => {
    const ids = (sql.prepare('SELECT id FROM guests WHERE organization_id = ? AND deleted_at IS NULL').all(orgA) as {
      id: string;
    }[]).map((r) => r.id);
    const kekIds = () =>
      new Set(
        (sql.prepare('SELECT wrapped_key FROM org_data_keys').all() as { wrapped_key: string }[]).map((r) =>
          r.wrapped_key.split(':')[2]
        ),
      );
    expect(kekIds().size).toBe(1);
    start({ ENCRYPTION_KEK: NEW_KEK });
    expect((await owner.api('GET', `/api/v1/guests/${ids[0]}`)).body).toMatchObject({
      code: 'ENCRYPTION_KEY_UNAVAILABLE',
      details: { feature: 'guests' },
    });
    start({ ENCRYPTION_KEK: NEW_KEK, ENCRYPTION_KEK_PREVIOUS: KEK });
    for (const id of ids) expect((await owner.api('GET', `/api/v1/guests/${id}`)).status).toBe(200);
    expect(kekIds().size).toBe(2); // org A re-wrapped on use, the others still under the old KEK
    const cli = await runCli(['keys', 'rotate', '--cwd', root, '--json'], {
      ENCRYPTION_KEK: NEW_KEK,
      ENCRYPTION_KEK_PREVIOUS: KEK,
    });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).rewrapped).toBeGreaterThan(0);
    expect(kekIds().size).toBe(1);
    start({ ENCRYPTION_KEK: NEW_KEK });
    const read = await Promise.all(ids.map((id) => owner.api('GET', `/api/v1/guests/${id}`)));
    expect(read.filter((r) => r.status === 200).length).toBe(ids.length);
  });

  it("crypto-shredding: none of the organization's values open afterwards, other organizations are untouched", async () => {
    const idsOf = (org: string) =>
      (sql.prepare(
        'SELECT id FROM guests WHERE organization_id = ? AND deleted_at IS NULL AND dietary_notes IS NOT NULL',
      ).all(org) as { id: string }[]).map((r) => r.id);
    const readable = async (caller: User, ids: string[]) =>
      (await Promise.all(ids.map((id) => caller.api('GET', `/api/v1/guests/${id}`)))).filter((r) => r.status === 200)
        .length;
    const [aIds, bIds, gIds] = [idsOf(orgA), idsOf(orgB), idsOf(orgG)];
    expect([aIds.length > 0, bIds.length > 0, gIds.length]).toEqual([true, true, 20]);
    expect((await member.api('POST', '/api/v1/guests/offboard', {})).status).toBe(403);
    expect((await owner.api('POST', '/api/v1/guests/offboard', {})).body).toEqual({ shredded: 1 });
    const readA = await Promise.all(aIds.map((id) => owner.api('GET', `/api/v1/guests/${id}`)));
    expect(readA.map((r) => [r.status, r.body.code, r.body.details?.reason])).toEqual(
      aIds.map(() => [500, 'ENCRYPTED_VALUE_UNREADABLE', 'key-shredded']),
    );
    expect(readA.some((r) => JSON.stringify(r.body).includes('qbenc'))).toBe(false);
    expect(await readable(owner2, bIds)).toBe(bIds.length);
    expect(await readable(gia, gIds)).toBe(20);

    // The CLI: refuses without --yes, then shreds org B; Gamma is still untouched.
    const refused = await runCli(['keys', 'shred', '--cwd', root, '--org', orgB], { ENCRYPTION_KEK: NEW_KEK });
    expect([refused.code, refused.stderr + refused.stdout]).toEqual([1, expect.stringContaining('QB_KEYS_CONFIRM')]);
    const shred = await runCli(['keys', 'shred', '--cwd', root, '--org', orgB, '--yes', '--json'], {
      ENCRYPTION_KEK: NEW_KEK,
    });
    expect(JSON.parse(shred.stdout)).toMatchObject({ ok: true, removed: 1 });
    start({ ENCRYPTION_KEK: NEW_KEK }); // a fresh process: no cached keys
    expect(await readable(owner2, bIds)).toBe(0);
    expect(await readable(gia, gIds)).toBe(20);
  });
});
