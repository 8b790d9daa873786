/**
 * Client ids (`generateId: false`): PUT /:id creates (201) or updates (200) inside the caller's
 * scope, an id owned by someone else answers exactly like any row outside the scope (never a 409
 * oracle), and PUT /batch upserts a mix, all on the `solo` fixture (owner scope, hide mode).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

describe('PUT upsert with client ids (solo, generateId: false)', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(
      copyFixture('solo', 'upsert', { config: [['generateId: "uuid"', 'generateId: false']] }),
      'libsql',
      false,
    );
  }, 120_000);
  afterAll(async () => t?.close());

  it("creates, then updates, only inside the caller's scope", async () => {
    const ada = await signUp(t.fetch, t.baseURL, 'Ada');
    const bo = await signUp(t.fetch, t.baseURL, 'Bo');
    const created = await ada.api('PUT', '/api/v1/bookmarks/bm-1', { url: 'https://one.dev', title: 'One' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'bm-1', userId: ada.userId, title: 'One' });
    const updated = await ada.api('PUT', '/api/v1/bookmarks/bm-1', { url: 'https://one.dev', title: 'Uno' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: 'bm-1', title: 'Uno', modifiedBy: ada.userId });
    const mismatch = await ada.api('PUT', '/api/v1/bookmarks/bm-1', { id: 'bm-2', url: 'https://one.dev' });
    expect(mismatch.body.code).toBe('VALIDATION_FAILED');
    const taken = await bo.api('PUT', '/api/v1/bookmarks/bm-1', { url: 'https://mine.dev' });
    const nowhere = await bo.api('GET', '/api/v1/bookmarks/bm-404');
    expect(taken.status).toBe(404);
    expect(taken.body).toEqual(nowhere.body);
    expect(t.readRow('bookmarks', 'bm-1')).toMatchObject({ title: 'Uno', userId: ada.userId });
    const post = await ada.api('POST', '/api/v1/bookmarks', { id: 'bm-3', url: 'https://three.dev' });
    expect(post.status).toBe(201);
    expect(post.body.id).toBe('bm-3');
  });

  it('upserts a batch: new ids created, own ids updated, foreign ids refused per item', async () => {
    const cy = await signUp(t.fetch, t.baseURL, 'Cy');
    const dee = await signUp(t.fetch, t.baseURL, 'Dee');
    await dee.api('PUT', '/api/v1/bookmarks/dee-1', { url: 'https://dee.dev' });
    await cy.api('PUT', '/api/v1/bookmarks/cy-1', { url: 'https://cy.dev', title: 'old' });
    const res = await cy.api('PUT', '/api/v1/bookmarks/batch', {
      records: [
        { id: 'cy-1', url: 'https://cy.dev', title: 'new' },
        { id: 'cy-2', url: 'https://cy2.dev' },
        { id: 'dee-1', url: 'https://stolen.dev' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.success.map((r: any) => [r.id, r.title ?? null])).toEqual([['cy-1', 'new'], ['cy-2', null]]);
    expect(res.body.errors).toEqual([{ index: 2, id: 'dee-1', error: expect.objectContaining({ code: 'NOT_FOUND' }) }]);
    expect(t.readRow('bookmarks', 'dee-1')).toMatchObject({ url: 'https://dee.dev', userId: dee.userId });
    expect((await cy.api('PUT', '/api/v1/bookmarks/batch', { records: [{ url: 'https://no-id.dev' }] })).body.code)
      .toBe('BATCH_MISSING_IDS');
  });
});
