/**
 * Fixture projects for tests: copied into the git-ignored `.out/` folder inside the repository,
 * so generated apps resolve hono, drizzle-orm, better-auth and the drivers from our node_modules.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const OUT = path.join(REPO, '.out');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'projects');

/** `helpdesk` is the README's example (examples/helpdesk); the others live under test/fixtures. */
export function fixtureDir(name: string): string {
  return name === 'helpdesk' ? path.join(REPO, 'examples', 'helpdesk') : path.join(FIXTURES, name);
}

export interface FixtureOptions {
  /** Text replacements applied to quickback/quickback.config.ts (test-only variants). */
  config?: [string, string][];
  /** Extra or replaced files, relative to the project root. */
  files?: Record<string, string>;
}

export function copyFixture(name: string, label: string, options: FixtureOptions = {}): string {
  const root = path.join(OUT, `${label}-${randomBytes(4).toString('hex')}`);
  mkdirSync(root, { recursive: true });
  cpSync(fixtureDir(name), root, { recursive: true });
  const configFile = path.join(root, 'quickback', 'quickback.config.ts');
  let config = readFileSync(configFile, 'utf8');
  for (const [from, to] of options.config ?? []) {
    if (!config.includes(from)) throw new Error(`fixture ${name}: "${from}" not found in config`);
    config = config.replace(from, to);
  }
  writeFileSync(configFile, config);
  for (const [file, contents] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), contents);
  }
  return root;
}

/** An empty project folder with just the given files. */
export function emptyProject(label: string, files: Record<string, string>): string {
  const root = path.join(OUT, `${label}-${randomBytes(4).toString('hex')}`);
  for (const [file, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), contents);
  }
  return root;
}

export const SECRET = 'a'.repeat(64);

/**
 * The development marker the suites start apps with (local origins trusted, Better Auth's rate
 * limit off), as `quickback dev` and the scaffolded .env/.dev.vars do; without it an app runs with
 * production settings.
 */
export const DEVELOPMENT = { QUICKBACK_DEV: '1' };
