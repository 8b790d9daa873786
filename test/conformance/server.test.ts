/**
 * The CRUD and pipeline conformance suites over real HTTP: the compiled app as its own process on 127.0.0.1,
 * Better Auth's own client signing users in. Node with both SQLite drivers, and Bun (bun:sqlite)
 * with the Bun binary from the `bun` npm package.
 */
import { describe, expect, it } from 'vitest';
import { createOrg, signUpAll } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { hasBun, serverTarget } from '../helpers/server.js';
import { crudConformance } from './crud.suite.js';
import { PIPELINE_FILES as pipelineFiles } from './pipeline-cast.js';
import { readConformance } from './read.suite.js';
import { writeConformance } from './write.suite.js';

crudConformance(
  'node server + better-sqlite3',
  () => serverTarget(copyFixture('helpdesk', 'srv-node-bsq'), 'node', 'better-sqlite3'),
);

crudConformance(
  'node server + libsql',
  () =>
    serverTarget(
      copyFixture('helpdesk', 'srv-node-libsql', {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']],
      }),
      'node',
      'libsql',
    ),
);

if (hasBun()) {
  crudConformance(
    'bun server + bun:sqlite',
    () =>
      serverTarget(
        copyFixture('helpdesk', 'srv-bun', { config: [['defineRuntime("node")', 'defineRuntime("bun")']] }),
        'bun',
        'better-sqlite3',
      ),
  );
} else {
  describe('bun server', () => it.skip('the bun binary is not installed (node_modules/.bin/bun)', () => {}));
}

writeConformance(
  'node server + better-sqlite3',
  () => serverTarget(copyFixture('helpdesk', 'srv-write-node', { files: pipelineFiles }), 'node', 'better-sqlite3'),
);
readConformance(
  'node server + better-sqlite3',
  () => serverTarget(copyFixture('helpdesk', 'srv-read-node', { files: pipelineFiles }), 'node', 'better-sqlite3'),
);

if (hasBun()) {
  const bun: [string, string][] = [['defineRuntime("node")', 'defineRuntime("bun")']];
  writeConformance(
    'bun server + bun:sqlite',
    () =>
      serverTarget(
        copyFixture('helpdesk', 'srv-write-bun', { files: pipelineFiles, config: bun }),
        'bun',
        'better-sqlite3',
      ),
  );
  readConformance(
    'bun server + bun:sqlite',
    () =>
      serverTarget(
        copyFixture('helpdesk', 'srv-read-bun', { files: pipelineFiles, config: bun }),
        'bun',
        'better-sqlite3',
      ),
  );
}

describe.runIf(hasBun())('actions on a bun server (bun:sqlite)', () => {
  it('runs a record action with a transition and a standalone GET action', async () => {
    const t = await serverTarget(
      copyFixture('helpdesk', 'srv-actions-bun', { config: [['defineRuntime("node")', 'defineRuntime("bun")']] }),
      'bun',
      'better-sqlite3',
    );
    try {
      const [alice] = await signUpAll(t.fetch, t.baseURL, ['Alice']);
      await createOrg(alice, 'Acme');
      const ticket = (await alice.api('POST', '/api/v1/tickets', { title: 'Bun ticket' })).body;
      const escalated = await alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'on bun' });
      expect(escalated.status).toBe(200);
      expect(escalated.body.priority).toBe('urgent');
      expect((await alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'again' })).body.code).toBe(
        'ACCESS_ACTION_NOT_ALLOWED_FOR_STATE',
      );
      expect((await alice.api('GET', '/api/v1/tickets/open-count')).body).toEqual({ open: 1 });
    } finally {
      await t.close();
    }
  }, 120_000);
});
