/**
 * Writes better-auth-schema.json from the installed better-auth (`npm run gen:auth-schema`).
 * Run it after upgrading better-auth; the drift test says when it is needed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { snapshotAuthSchema } from './snapshot.js';

const target = fileURLToPath(new URL('./better-auth-schema.json', import.meta.url));
writeFileSync(target, JSON.stringify(snapshotAuthSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${target}\n`);
