/**
 * `quickback enable encryption`: encryption has no switch in quickback.config.ts (columns opt in
 * with `.encrypted()`, seed 003), so the edit is the key: a line `ENCRYPTION_KEK=<32 random bytes
 * as hex>` in the local secrets file (`.env` for node and bun, `.dev.vars` for cloudflare, in
 * `build.outputDir`), and `ENCRYPTION_KEK=` in its example file. Lines already there are kept
 * byte for byte (an empty value is filled); a new line follows the file's line endings and its
 * final newline (or lack of one). The example file of a runtime the compiler builds is compiler
 * output (`.env.example` lists ENCRYPTION_KEK): it is left to the compile, since writing it would
 * make the next compile refuse it as drift or as an unowned path. The key's value is never printed:
 * the Tree marks secrets files and dry-run diffs mask their values.
 *
 * `disable encryption` writes nothing: deleting the key would make encrypted data unreadable.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Node } from 'ts-morph';
import { findPath } from '../../src/codemod/paths.js';
import { conflict, findCall, parseSource, property, type ParsedSource } from '../../src/codemod/source.js';
import { providerCapabilities } from '../../src/compiler/validate/capabilities.js';
import { QuickbackError } from '../../src/shared/errors.js';
import type { Tree } from '../../src/shared/tree.js';
import { CONFIG } from '../config.js';
import { configObject } from './switches.js';

export const KEK = 'ENCRYPTION_KEK';

export interface SecretsFiles {
  /** The local secrets file, project-relative. */
  secrets: string;
  /** Its example file. */
  example: string;
  /** Whether the compile writes the example file (then this command leaves it alone). */
  exampleEmitted: boolean;
}

function literalString(source: ParsedSource, node: Node | undefined, what: string, manual: string): string | undefined {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText();
  throw conflict(source, node, what, manual);
}

/** Where the app reads its secrets: the runtime from defineRuntime (default node), in build.outputDir. */
export function secretsFiles(source: ParsedSource): SecretsFiles {
  const manual = `add ${KEK}=<openssl rand -hex 32> to the app's .env (.dev.vars on Cloudflare)`;
  const runtime =
    literalString(source, findCall(source, 'defineRuntime')?.getArguments()[0], 'the runtime kind', manual) ?? 'node';
  const build = findPath(source, configObject(source), ['build'], manual);
  const outputDir = build.missing.length === 0
    ? literalString(source, property(build.object, 'outputDir').value, '`build.outputDir`', manual)
    : undefined;
  const dir = path.posix.normalize(outputDir ?? '.');
  const at = (file: string) => (dir === '.' ? file : path.posix.join(dir, file));
  const file = runtime === 'cloudflare' ? '.dev.vars' : '.env';
  const kinds: Record<string, boolean> = providerCapabilities.runtime.kinds;
  return { secrets: at(file), example: at(`${file}.example`), exampleEmitted: kinds[runtime] === true };
}

interface Line {
  start: number;
  end: number;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  for (let at = 0; at < text.length;) {
    const newline = text.indexOf('\n', at);
    const stop = newline < 0 ? text.length : newline;
    out.push({ start: at, end: stop > at && text[stop - 1] === '\r' ? stop - 1 : stop });
    at = newline < 0 ? text.length : newline + 1;
  }
  return out;
}

const KEY_LINE = (key: string) => new RegExp(`^[\\t ]*(?:export[\\t ]+)?${key}[\\t ]*=`);

export type EnvStatus = 'added' | 'filled' | 'unchanged';

/**
 * `key=value` ensured in a dotenv text (null: no file yet). A line with a value is kept; an empty
 * one (`KEY=`, `KEY=""`) is filled when `value` is not empty; otherwise the line is appended.
 */
export function ensureEnvLine(text: string | null, key: string, value: string): { text: string; status: EnvStatus } {
  const current = text ?? '';
  const pattern = KEY_LINE(key);
  const line = linesOf(current).find((l) => pattern.test(current.slice(l.start, l.end)));
  if (line) {
    const content = current.slice(line.start, line.end);
    const equals = line.start + content.indexOf('=') + 1;
    const rest = current.slice(equals, line.end).trim();
    if (value === '' || !(rest === '' || rest === '""' || rest === "''")) return { text: current, status: 'unchanged' };
    return { text: `${current.slice(0, equals)}${value}${current.slice(line.end)}`, status: 'filled' };
  }
  const crlf = (current.match(/\r\n/g) ?? []).length;
  const eol = crlf > (current.match(/\n/g) ?? []).length - crlf ? '\r\n' : '\n';
  const entry = `${key}=${value}`;
  if (current === '') return { text: `${entry}${eol}`, status: 'added' };
  // A file without a final newline keeps that habit: the separator goes before the new line.
  return { text: current.endsWith('\n') ? `${current}${entry}${eol}` : `${current}${eol}${entry}`, status: 'added' };
}

function readConfig(tree: Tree): ParsedSource {
  const text = tree.read(CONFIG);
  if (text === null)
    throw new QuickbackError('QB_LOAD_CONFIG_NOT_FOUND', `${CONFIG} was not found`, {
      hint: 'Run this in a Quickback project (or pass --cwd).',
    });
  return parseSource(CONFIG, text);
}

/** `enable encryption` on a Tree; `key` is for tests (default: 32 bytes from the CSPRNG, hex). */
export function enableEncryption(tree: Tree, key: string = randomBytes(32).toString('hex')): string[] {
  const { secrets, example, exampleEmitted } = secretsFiles(readConfig(tree));
  const secret = ensureEnvLine(tree.read(secrets), KEK, key);
  if (secret.status !== 'unchanged') tree.write(secrets, secret.text);
  const sample = exampleEmitted ? undefined : ensureEnvLine(tree.read(example), KEK, '');
  if (sample && sample.status !== 'unchanged') tree.write(example, sample.text);
  if (secret.status === 'unchanged' && sample?.status !== 'added')
    return [`encryption: already enabled (${KEK} is in ${secrets})`];
  const messages = ['encryption: enabled'];
  if (secret.status === 'added') messages.push(`  ${KEK} added to ${secrets} (value hidden)`);
  if (secret.status === 'filled') messages.push(`  ${KEK} was empty in ${secrets}: set (value hidden)`);
  if (sample?.status === 'added') messages.push(`  ${KEK}= added to ${example}`);
  if (exampleEmitted) messages.push(`  ${example} is written by the compile and lists ${KEK}`);
  return messages;
}

export function disableEncryption(tree: Tree): string[] {
  const { secrets } = secretsFiles(readConfig(tree));
  return [
    `encryption: nothing written. Columns opt in with .encrypted() (remove it to stop encrypting); ${KEK} stays in ${secrets}, since data already encrypted cannot be read without it`,
  ];
}
