/** The CRUD conformance suite, in-process through app.request(), on both SQLite drivers. */
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { crudConformance } from './crud.suite.js';
import { LIMITS_FILES, limitsConformance } from './limits.suite.js';

crudConformance(
  'node + better-sqlite3 (app.request)',
  () => inProcessTarget(copyFixture('helpdesk', 'conf-bsq'), 'better-sqlite3'),
);

crudConformance(
  'node + libsql (app.request)',
  () =>
    inProcessTarget(
      copyFixture('helpdesk', 'conf-libsql', {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']],
      }),
      'libsql',
    ),
);

limitsConformance(
  'node + better-sqlite3 (app.request)',
  () => inProcessTarget(copyFixture('helpdesk', 'limits-bsq', { files: LIMITS_FILES }), 'better-sqlite3'),
);
