/**
 * The helpdesk with every route family on: `/api`, `/auth/v1`, file storage at `/storage/v1`,
 * realtime at `/broadcast/v1` (tickets published) and webhooks at `/webhooks/v1` (http targets
 * allowed, for local receivers). For suites that cross all of them (CORS, browsers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFixture, type FixtureOptions } from './project.js';

export const ADDONS: [string, string][] = [
  ['import { defineAuth,', 'import { defineFileStorage, defineAuth,'],
  ['generateId: "prefixed" }', 'generateId: "prefixed", realtime: true }'],
  [
    '    auth: defineAuth("better-auth", {',
    '    fileStorage: defineFileStorage("r2", { maxFileSize: "64kb", allowedTypes: ["image/png", "text/*"] }),\n    auth: defineAuth("better-auth", {',
  ],
  ['export default defineConfig({', 'export default defineConfig({\n  webhooks: { allowInsecure: true },'],
];

/** A copy of the helpdesk with ADDONS, then `config` (more replacements, e.g. CLOUDFLARE); tickets are published to realtime. */
export function addonsProject(
  label: string,
  config: [string, string][] = [],
  options: Omit<FixtureOptions, 'config'> = {},
): string {
  const root = copyFixture('helpdesk', label, { ...options, config: [...ADDONS, ...config] });
  const file = path.join(root, 'quickback', 'features', 'tickets', 'tickets.ts');
  const text = readFileSync(file, 'utf8');
  const anchor = '  read: { access:';
  if (!text.includes(anchor)) throw new Error(`tickets.ts: "${anchor}" not found`);
  writeFileSync(file, text.replace(anchor, `  realtime: true,\n${anchor}`));
  return root;
}
