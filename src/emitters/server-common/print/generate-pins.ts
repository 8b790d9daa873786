/**
 * Writes pins.json from the repository's package-lock.json (`npm run gen:pins`; see lock-pins.ts).
 * Run it after changing dependencies and `npm install`; pins.test.ts says when it is needed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { derivePins, formatPins, type Lockfile } from './lock-pins.js';

const lock = JSON.parse(readFileSync(new URL('../../../../package-lock.json', import.meta.url), 'utf8')) as Lockfile;
const target = fileURLToPath(new URL('./pins.json', import.meta.url));
const data = derivePins(lock);
writeFileSync(target, formatPins(data));
const pinned = Object.values(data.packages).filter((p) => !p.unpinned).length;
process.stdout.write(`wrote ${target}: ${Object.keys(data.packages).length} packages, ${pinned} pinned\n`);
