/**
 * Encrypted columns on every runtime, over real HTTP: the Worker under workerd (miniflare, D1:
 * writes of the action db run as one D1 batch), the Bun server (bun:sqlite) and the Node server
 * on libsql. The same round trip each time: every write path stores `qbenc:` ciphertext, every
 * read path answers plaintext under masking. The attack, breach, rotation and shredding tests run
 * in-process (encryption.test.ts); the code under test is the same runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { addMember, createOrg } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { hasBun, serverTarget } from '../helpers/server.js';
import type { ConformanceTarget } from '../helpers/target.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';

const KEK = 'ef'.repeat(32);

function roundTrip(label: string, open: () => Promise<ConformanceTarget>) {
  describe(`encrypted columns: ${label}`, () => {
    let t: ConformanceTarget;
    beforeAll(async () => {
      t = await open();
    }, 180_000);
    afterAll(async () => t?.close());

    it('encrypts on create, update, batch and the action db; decrypts on get, list, view and action results; masks on top', async () => {
      const owner = await signUp(t.fetch, t.baseURL, 'Olive');
      const member = await signUp(t.fetch, t.baseURL, 'Max');
      const org = await createOrg(owner, 'Alpha');
      await addMember(owner, member, org, 'member');
      const ciphertext = (id: string, column: string) =>
        expect(t.readRow('guests', id)?.[column]).toMatch(/^qbenc:1:1:/);

      const created = await owner.api('POST', '/api/v1/guests', {
        name: 'Ada',
        emergencyContact: 'call Bob',
        dietaryNotes: 'no peanuts',
      });
      expect(created.body).toMatchObject({ emergencyContact: 'call Bob', dietaryNotes: 'no peanuts' });
      const id = created.body.id as string;
      ciphertext(id, 'emergency_contact');
      ciphertext(id, 'dietary_notes');
      expect((await owner.api('PATCH', `/api/v1/guests/${id}`, { dietaryNotes: 'no nuts' })).body.dietaryNotes).toBe(
        'no nuts',
      );
      expect((await owner.api('GET', `/api/v1/guests/${id}`)).body).toMatchObject({
        emergencyContact: 'call Bob',
        dietaryNotes: 'no nuts',
      });
      const listed = await owner.api('GET', '/api/v1/guests?view=all');
      expect(listed.body.data.find((g: { id: string }) => g.id === id)).toMatchObject({ dietaryNotes: 'no nuts' });
      expect((await owner.api('GET', '/api/v1/guests/views/card')).body.data[0]).toEqual({
        id,
        name: 'Ada',
        dietaryNotes: 'no nuts',
      });

      const batch = await owner.api('POST', '/api/v1/guests/batch', {
        records: [{ name: 'Bea', dietaryNotes: 'vegan' }],
      });
      const bea = batch.body.success[0].id as string;
      expect(batch.body.success[0].dietaryNotes).toBe('vegan');
      ciphertext(bea, 'dietary_notes');
      expect(
        (await owner.api('PATCH', '/api/v1/guests/batch', { records: [{ id: bea, dietaryNotes: 'vegan, no soy' }] }))
          .body.success[0].dietaryNotes,
      ).toBe('vegan, no soy');

      const action = await owner.api('POST', `/api/v1/guests/${bea}/setContact`, { contact: 'call Eve' });
      expect(action.body).toMatchObject({ id: bea, emergencyContact: 'call Eve' });
      ciphertext(bea, 'emergency_contact');
      const imported = await owner.api('POST', '/api/v1/guests/import', { name: 'Fay', notes: 'kosher' });
      expect(imported.body).toMatchObject({ dietaryNotes: 'kosher' });
      ciphertext(imported.body.id, 'dietary_notes');
      expect((await owner.api('POST', '/api/v1/guests/seal', { value: 'v', guestId: imported.body.id })).body)
        .toMatchObject({ opened: 'v', notes: 'kosher' });

      const seen = await member.api('GET', `/api/v1/guests/${bea}`);
      expect(seen.body.dietaryNotes).toBe('vegan, no soy');
      expect(seen.body.emergencyContact).not.toMatch(/qbenc|Eve/);
    });
  });
}

roundTrip(
  'cloudflare worker + D1',
  () => workerTarget(copyFixture('vault', 'cf-vault', { config: CLOUDFLARE }), { bindings: { ENCRYPTION_KEK: KEK } }),
);
roundTrip(
  'node server + libsql',
  () =>
    serverTarget(
      copyFixture('vault', 'srv-vault-libsql', {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']],
      }),
      'node',
      'libsql',
      true,
      { ENCRYPTION_KEK: KEK },
    ),
);
if (hasBun()) {
  roundTrip(
    'bun server + bun:sqlite',
    () =>
      serverTarget(
        copyFixture('vault', 'srv-vault-bun', { config: [['defineRuntime("node")', 'defineRuntime("bun")']] }),
        'bun',
        'better-sqlite3',
        true,
        { ENCRYPTION_KEK: KEK },
      ),
  );
} else {
  describe('encrypted columns: bun server', () =>
    it.skip('the bun binary is not installed (node_modules/.bin/bun)', () => {}));
}
