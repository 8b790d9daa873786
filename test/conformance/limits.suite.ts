/**
 * The list query language and batches at D1's limits (100 bound parameters per statement, LIKE
 * patterns of at most 50 bytes), on every target: `in` lists of 98/99/100 values answer 200 and
 * 101 a 400 naming the bound; like/search terms of 48 bytes answer 200 and 49/50 a 400; more than
 * 20 filters a 400; batch PATCH and DELETE of 99 and 100 records (the documented maximum) succeed,
 * with failFast too. Never a 5xx.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../helpers/target.js';
import { useCast } from './pipeline-cast.js';

/** Test-only feature: integer and text columns filterable with every operator, the text searchable. */
export const GAUGES_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("gauges", {
  columns: { id: q.id(), name: q.text().required().searchable().filterable(), score: q.integer().optional().filterable(), level: q.integer().optional().filterable(), organizationId: q.scope("organization") },
  read: { access: { roles: ["member+"] } },
  crud: { create: { access: { roles: ["member+"] } }, update: { access: { roles: ["member+"] } }, delete: { access: { roles: ["member+"] }, mode: "hard" } },
});
`;

export const LIMITS_FILES = { 'quickback/features/gauges/gauges.ts': GAUGES_FEATURE };

const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');

export function limitsConformance(label: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`D1 limits conformance: ${label}`, () => {
    const cast = useCast(setup);

    it('takes in lists of up to 100 values and refuses 101 with a 400 naming the bound', async () => {
      const { carol } = cast;
      expect((await carol.api('POST', '/api/v1/gauges', { name: 'seven', score: 7 })).status).toBe(201);
      for (const n of [98, 99, 100]) {
        const res = await carol.api('GET', `/api/v1/gauges?score.in=${values(n)}`);
        expect(res.status, `${n} values`).toBe(200);
        expect(res.body.data.map((r: any) => r.score)).toEqual([7]);
      }
      expect(
        (await carol.api(
          'GET',
          `/api/v1/gauges?name.in=${encodeURIComponent(['x', 'seven', ...Array(98).fill('y')].join(','))}`,
        )).body.data,
      ).toHaveLength(1);
      const over = await carol.api('GET', `/api/v1/gauges?score.in=${values(101)}`);
      expect(over.status).toBe(400);
      expect(over.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: { score: expect.stringContaining('at most 100') } },
      });
    });

    it('takes like and search terms of 48 bytes and refuses longer ones with a 400 naming the bound', async () => {
      const { carol } = cast;
      const long = 'a'.repeat(48);
      expect((await carol.api('POST', '/api/v1/gauges', { name: `x${long}y` })).status).toBe(201);
      for (const q of [`name.like=${long}`, `search=${long}`]) {
        const res = await carol.api('GET', `/api/v1/gauges?${q}`);
        expect(res.status, q).toBe(200);
        expect(res.body.data.map((r: any) => r.name)).toEqual([`x${long}y`]);
      }
      for (const n of [49, 50]) {
        for (const [q, key] of [[`name.like=${'a'.repeat(n)}`, 'name'], [`search=${'a'.repeat(n)}`, 'search']]) {
          const res = await carol.api('GET', `/api/v1/gauges?${q}`);
          expect(res.status, q).toBe(400);
          expect(res.body).toMatchObject({
            code: 'VALIDATION_FAILED',
            details: { fields: { [key]: expect.stringContaining('48 bytes') } },
          });
        }
      }
      // Escaped characters count twice: 24 × "%" is a 48-byte pattern, 25 are over.
      expect((await carol.api('GET', `/api/v1/gauges?name.like=${'%25'.repeat(24)}`)).status).toBe(200);
      expect((await carol.api('GET', `/api/v1/gauges?name.like=${'%25'.repeat(25)}`)).status).toBe(400);
    });

    it('matches like on an integer column by its text, as SQLite does (PostgreSQL has no ILIKE for integers)', async () => {
      const { carol } = cast;
      expect((await carol.api('POST', '/api/v1/gauges', { name: 'like-int', score: 4242 })).status).toBe(201);
      const res = await carol.api('GET', '/api/v1/gauges?score.like=424');
      expect(res.status).toBe(200);
      expect(res.body.data.map((r: any) => r.name)).toEqual(['like-int']);
    });

    it('refuses more than 20 filters with a 400', async () => {
      const { carol } = cast;
      const ops = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'isNull', 'between'];
      const filters = (field: string, only = ops) =>
        only.map((op) => `${field}.${op}=${op === 'between' ? '1,2' : op === 'isNull' ? 'false' : '1'}`);
      // 9 on score (like is for text), 10 on name, 1 on level: 20.
      const twenty = [...filters('score', ops.filter((op) => op !== 'like')), ...filters('name'), 'level.eq=1'];
      expect((await carol.api('GET', `/api/v1/gauges?${twenty.join('&')}`)).status).toBe(200);
      const over = await carol.api('GET', `/api/v1/gauges?${[...twenty, 'level.ne=2'].join('&')}`);
      expect(over.status).toBe(400);
      expect(over.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { max: 20, received: 21 } });
    });

    it('runs batch PATCH and DELETE of 99 and 100 records, failFast or not', async () => {
      const { carol, t } = cast;
      for (const n of [99, 100]) {
        for (const failFast of [false, true]) {
          const created = await carol.api('POST', '/api/v1/gauges/batch', {
            records: Array.from({ length: n }, (_, i) => ({ name: `g${i}`, score: i })),
          });
          expect(created.status).toBe(201);
          const ids: string[] = created.body.success.map((r: any) => r.id);
          const patched = await carol.api('PATCH', '/api/v1/gauges/batch', {
            records: ids.map((id) => ({ id, score: 1000 })),
            options: { failFast },
          });
          expect(patched.status, `PATCH ${n} failFast=${failFast}`).toBe(200);
          expect(patched.body.meta).toMatchObject({ total: n, succeeded: n, failed: 0 });
          expect(t.readRow('gauges', ids[n - 1])?.score).toBe(1000);
          const removed = await carol.api('DELETE', '/api/v1/gauges/batch', { ids, options: { failFast } });
          expect(removed.status, `DELETE ${n} failFast=${failFast}`).toBe(200);
          expect(removed.body.meta).toMatchObject({ total: n, succeeded: n, failed: 0 });
          expect(t.readRow('gauges', ids[0])).toBeUndefined();
        }
      }
    }, 120_000);
  });
}
