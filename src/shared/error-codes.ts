/**
 * @module shared/error-codes
 * The one registry of every `QB_*` code the toolchain can report. Tooling and tests branch on
 * these codes, never on message text. Adding a code means adding a line here.
 */
export const errorCodes = {
  // load: reading the user's project
  QB_LOAD_CONFIG_NOT_FOUND: 'quickback/quickback.config.ts was not found',
  QB_LOAD_SYNTAX_ERROR: 'a definition file could not be parsed',
  QB_LOAD_IMPORT_FAILED: 'a definition file threw while it was evaluated',
  QB_LOAD_NOT_A_CONFIG: 'the config file does not default-export defineConfig(...)',
  QB_LOAD_NOT_A_FEATURE: 'a feature file exports something that is not a definition',
  QB_LOAD_NO_DEFINITION: 'a file under quickback/features exports no definition',
  QB_LOAD_CACHE_DISCARDED: 'the compile cache under quickback/.quickback/cache was unreadable and was discarded',
  QB_LOAD_BAD_MIGRATIONS: 'the migration journal or snapshots under quickback/drizzle are unreadable',
  // dsl: mistakes caught while the definitions run
  QB_DSL_UNKNOWN_COLUMN_TYPE: 'q.<type>() names no column type',
  QB_DSL_UNKNOWN_MODIFIER: 'a column modifier does not exist',
  QB_DSL_INVALID_ARGUMENT: 'a DSL function got an argument of the wrong shape',
  // validate: every problem in the definitions, collected at once
  QB_VALIDATE_UNKNOWN_OPTION: 'an option key is not known',
  QB_VALIDATE_INVALID_OPTION: 'an option has a value of the wrong type or outside its range',
  QB_VALIDATE_MISSING_OPTION: 'a required option is missing',
  QB_VALIDATE_DEPLOY_PLACEHOLDER: 'wrangler.toml gets a local-dev placeholder where a Cloudflare resource id belongs',
  QB_VALIDATE_NOT_SUPPORTED: 'an option belongs to a target or feature that is not built yet',
  QB_VALIDATE_DUPLICATE_FEATURE: 'two definitions use the same feature name',
  QB_VALIDATE_AMBIGUOUS_SCOPE: 'a feature has more than one scope column and no explicit firewall',
  QB_VALIDATE_UNKNOWN_ROLE: 'an access rule names a role that is not in auth.roleHierarchy',
  QB_VALIDATE_UNKNOWN_COLUMN: 'a rule names a column the feature does not have',
  QB_VALIDATE_INVALID_NAME: 'a feature or column name is not a valid identifier',
  QB_VALIDATE_UNKNOWN_REFERENCE: 'a column references a feature or column that does not exist',
  QB_VALIDATE_RESERVED_COLUMN: 'a column name is reserved for audit or system use',
  QB_VALIDATE_INVALID_FIREWALL: 'a firewall definition is inconsistent',
  QB_VALIDATE_INVALID_ACCESS: 'an access rule is malformed',
  QB_VALIDATE_RENAME: 'a declared migration rename does not match the schema',
  QB_VALIDATE_INVALID_GUARDS: 'guard lists contradict each other or the columns',
  QB_VALIDATE_INVALID_MASKING: 'a masking rule cannot be applied as written',
  QB_VALIDATE_INVALID_VIEW: 'a view names unknown columns or widens access',
  QB_VALIDATE_INVALID_ACTION: 'an action definition is incomplete or contradicts its feature',
  QB_VALIDATE_ENCRYPTED_COLUMN:
    'an encrypted column is used where ciphertext cannot work (queries, keys, defaults, references)',
  QB_WARN_AUTO_MASK: 'a column was masked automatically because of its name',
  QB_WARN_OPTION_NO_EFFECT: 'an option is set but the project has nothing it applies to',
  QB_WARN_DEFAULT_COMPATIBILITY_DATE:
    'no Cloudflare compatibilityDate is set, so wrangler.toml gets the default the pinned workerd supports',
  QB_WARN_DEV_ONLY: 'an option meant for development is set in a project whose scripts also run in production',
  // migrate: SQL migrations
  QB_MIGRATE_DIFF_FAILED: 'drizzle-kit could not diff the schema',
  QB_MIGRATE_APPLY_FAILED: 'applying migrations to the local database failed',
  QB_MIGRATE_DATABASE_MISSING: 'the PostgreSQL database DATABASE_URL names does not exist (createdb it)',
  QB_MIGRATE_UNREACHABLE: "no PostgreSQL server answers at DATABASE_URL's host:port",
  QB_MIGRATE_NO_DATABASE_URL: 'neon/supabase need DATABASE_URL to migrate',
  QB_MIGRATE_NOTHING_TO_APPLY: 'there are no migrations to apply (run quickback compile first)',
  // keys: data keys of encrypted columns
  QB_KEYS_NO_ENCRYPTION: 'quickback keys ran on a project without encrypted columns',
  QB_KEYS_CONFIRM: 'a destructive keys command needs --yes',
  QB_KEYS_BAD_KEK: 'ENCRYPTION_KEK (or ENCRYPTION_KEK_PREVIOUS) is missing or not a key',
  QB_KEYS_FAILED: 'a data key could not be opened, or the database could not be reached',
  // emit
  QB_EMIT_PATH_COLLISION: 'two emitters produced the same file path',
  QB_EMIT_FORMAT_FAILED: 'the formatter could not parse an emitted file (a compiler bug)',
  // write
  QB_WRITE_DRIFT: 'a compiler-owned file was edited by hand',
  QB_WRITE_UNOWNED_PATH: 'a file the compiler needs to write exists but is not compiler-owned',
  QB_WRITE_MANIFEST_INVALID: 'quickback/.quickback/manifest.json is corrupt or from an unknown version',
  QB_WRITE_FAILED: 'writing output failed',
  QB_WRITE_OUTSIDE_ROOT: 'an output path escapes the project root',
  QB_CHECK_FAILED: 'compile --check found output that is not in sync',
  // cli
  QB_DEV_TOOL_MISSING: "the program the runtime's dev server needs (bun, wrangler) was not found",
  QB_DEV_BUILD_FAILED:
    "quickback dev could not bundle the app's own code (src/) for the Node dev server: the running server keeps the last good build",
  QB_DEV_DATA_LOSS:
    'quickback dev held back a migration that would delete rows (restart with --accept-data-loss, or quickback migrate)',
  QB_DEV_REMOTE_DATABASE:
    'quickback dev does not migrate a database that is not on this machine (npm run db:migrate does)',
  QB_CLI_UNKNOWN_COMMAND: 'the command is not known',
  QB_CLI_UNKNOWN_FLAG: 'a flag is not known',
  QB_CLI_INVALID_FLAG: 'a flag has an invalid value',
  QB_CLI_CWD_NOT_FOUND: 'the --cwd directory does not exist',
  // create-quickback
  QB_CREATE_INVALID_OPTION: 'a scaffolder option has a value that does not exist or is not built yet',
  QB_CREATE_INVALID_COMBINATION: 'two scaffolder options cannot be used together',
  QB_CREATE_NOT_EMPTY: 'the target directory exists and is not empty',
  QB_CREATE_PREFLIGHT: 'a tool the scaffolder needs (Node version, package manager, git) is missing',
  QB_CREATE_STEP_FAILED: 'a scaffolding step failed; what it created was removed',
  QB_CREATE_CANCELLED: 'a scaffolder prompt was cancelled (Ctrl-C, Escape); nothing was written; exit 130',
  QB_CREATE_INTERRUPTED:
    'the scaffolder got Ctrl-C or SIGTERM; what it wrote was removed (kept with --keep-on-failure); exit 130 or 143',
  // generators and codemods
  QB_GEN_UNKNOWN: 'no such generator (or not built yet)',
  QB_GEN_INVALID_ARGUMENT: 'a generator argument is missing or not a known value',
  QB_GEN_PARSE: 'a file a generator must edit does not parse; it was not touched',
  QB_GEN_CONFLICT: 'the edit cannot be made safely in this shape (a variable, a spread, a call); make it by hand',
  QB_GEN_CANCELLED: 'a generator prompt was cancelled; nothing was written',
  QB_GEN_UPGRADE_CONFLICT: 'a legacy form has no faithful automatic rewrite; nothing was written',
  QB_GEN_JOURNAL: 'the generator journal (quickback/.quickback/journal.json) cannot be read',
  QB_GEN_NOTHING_TO_UNDO: 'there is no generator run to undo',
  QB_GEN_UNDO_CHANGED: 'files of the run to undo changed since; nothing was written',
  QB_LOCK_HELD: 'another quickback command (a generator, undo, the watcher of dev) kept the project lock past the wait',
  // anything else is a bug
  QB_INTERNAL: 'internal error, please report it',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorCodes, value);
}
