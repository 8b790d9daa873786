/** The pipeline conformance suites (write and read paths), in-process through app.request(), on both SQLite drivers. */
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { PIPELINE_FILES as files } from './pipeline-cast.js';
import { readConformance } from './read.suite.js';
import { writeConformance } from './write.suite.js';

const libsql: [string, string][] = [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']];

writeConformance(
  'node + better-sqlite3 (app.request)',
  () => inProcessTarget(copyFixture('helpdesk', 'write-bsq', { files }), 'better-sqlite3'),
);
writeConformance(
  'node + libsql (app.request)',
  () => inProcessTarget(copyFixture('helpdesk', 'write-libsql', { files, config: libsql }), 'libsql'),
);
readConformance(
  'node + better-sqlite3 (app.request)',
  () => inProcessTarget(copyFixture('helpdesk', 'read-bsq', { files }), 'better-sqlite3'),
);
readConformance(
  'node + libsql (app.request)',
  () => inProcessTarget(copyFixture('helpdesk', 'read-libsql', { files, config: libsql }), 'libsql'),
);
