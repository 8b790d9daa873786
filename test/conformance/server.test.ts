/**
 * The CRUD and pipeline conformance suites over real HTTP: the compiled app as its own process on 127.0.0.1,
 * Better Auth's own client signing users in. Node with both SQLite drivers, and Bun (bun:sqlite)
 * with the Bun binary from the `bun` npm package.
 */
import { describe, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { hasBun, serverTarget } from '../helpers/server.js';
import { crudConformance } from './crud.suite.js';
import { PIPELINE_FILES as pipelineFiles } from './pipeline-cast.js';
import { readConformance } from './read.suite.js';
import { writeConformance } from './write.suite.js';

crudConformance('node server + better-sqlite3', () => serverTarget(copyFixture('helpdesk', 'srv-node-bsq'), 'node', 'better-sqlite3'));

crudConformance('node server + libsql', () =>
  serverTarget(copyFixture('helpdesk', 'srv-node-libsql', { config: [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']] }), 'node', 'libsql'));

if (hasBun) {
  crudConformance('bun server + bun:sqlite', () =>
    serverTarget(copyFixture('helpdesk', 'srv-bun', { config: [['defineRuntime("node")', 'defineRuntime("bun")']] }), 'bun', 'better-sqlite3'));
} else {
  describe('bun server', () => it.skip('the bun binary is not installed (node_modules/.bin/bun)', () => {}));
}

writeConformance('node server + better-sqlite3', () => serverTarget(copyFixture('helpdesk', 'srv-write-node', { files: pipelineFiles }), 'node', 'better-sqlite3'));
readConformance('node server + better-sqlite3', () => serverTarget(copyFixture('helpdesk', 'srv-read-node', { files: pipelineFiles }), 'node', 'better-sqlite3'));

if (hasBun) {
  const bun: [string, string][] = [['defineRuntime("node")', 'defineRuntime("bun")']];
  writeConformance('bun server + bun:sqlite', () => serverTarget(copyFixture('helpdesk', 'srv-write-bun', { files: pipelineFiles, config: bun }), 'bun', 'better-sqlite3'));
  readConformance('bun server + bun:sqlite', () => serverTarget(copyFixture('helpdesk', 'srv-read-bun', { files: pipelineFiles, config: bun }), 'bun', 'better-sqlite3'));
}
