/**
 * @module quickback/types
 * The Hono environment of a generated app and the slice of a Drizzle database the routes use.
 * The database type is structural so one route implementation serves every dialect and driver.
 */
import type { AppContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the query builders differ per dialect; routes use the shared subset. */
export interface QueryDatabase {
  select(fields?: Record<string, unknown>): { from(table: any): any };
  insert(table: any): any;
  update(table: any): any;
  delete(table: any): any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface QuickbackVariables {
  db: QueryDatabase;
  ctx: AppContext;
}

export type QuickbackEnv = { Variables: QuickbackVariables };
