/**
 * `quickback enable|disable <target>`: switches in quickback.config.ts, each a splice edit:
 * - realtime: `realtime: true|false` in defineDatabase(...)'s options (created when missing; in the
 *   object form `realtime: { enabled, wsTicket }` only `enabled` flips);
 * - organizations: `features: { organizations: true|false }`, or the `"organizations"` entry of
 *   the array form `features: [...]` (added or removed); `features` is created when missing;
 * - webhooks, files, openapi, jwt-revocation, observability, placement: see switches.ts;
 * - encryption: the ENCRYPTION_KEK secret, not the config (see encryption.ts).
 * An explicit opposite value is flipped. Shapes that are not literals are QB_GEN_CONFLICT.
 */
import { Node } from 'ts-morph';
import { addArrayItem, asObject, isString, removeArrayItem, setProperty, type Edit } from '../../src/codemod/edits.js';
import { conflict, findCall, property, propertyName, type ParsedSource } from '../../src/codemod/source.js';
import { quoted } from '../../src/codemod/style.js';
import { QuickbackError } from '../../src/shared/errors.js';
import type { Tree } from '../../src/shared/tree.js';
import { editConfig } from '../config.js';
import { defineGenerator, type Generator, type GeneratorReport } from '../types.js';
import { disableEncryption, enableEncryption } from './encryption.js';
import { noArguments } from './options.js';
import {
  configObject,
  files,
  jwtRevocation,
  observability,
  openapi,
  placement,
  webhooks,
  type ConfigSwitch,
} from './switches.js';

export function realtime(source: ParsedSource, on: boolean): Edit {
  const call = findCall(source, 'defineDatabase');
  if (!call)
    throw new QuickbackError('QB_GEN_CONFLICT', `${source.path} has no defineDatabase(...) call`, {
      file: source.path,
      hint: 'Add providers.database: defineDatabase("<kind>", { realtime: true }) by hand.',
    });
  const [kind, options] = call.getArguments();
  if (!options)
    return on
      ? { status: 'added', splices: [{ start: kind.getEnd(), end: kind.getEnd(), text: ', { realtime: true }' }] }
      : { status: 'unchanged', splices: [] };
  const object = asObject(
    source,
    options,
    'the defineDatabase options',
    `set realtime: ${on} in the options of defineDatabase(...)`,
  );
  const { node, value } = property(object, 'realtime');
  if (!on && !node) return { status: 'unchanged', splices: [] };
  // The object form `realtime: { enabled, wsTicket }`: flip `enabled`, keep the rest.
  if (value && Node.isObjectLiteralExpression(value)) {
    const enabled = property(value, 'enabled').value?.getText();
    if ((enabled ?? 'true') === String(on)) return { status: 'unchanged', splices: [] };
    return setProperty(source, value, 'enabled', String(on));
  }
  return setProperty(source, object, 'realtime', String(on));
}

export function organizations(source: ParsedSource, on: boolean): Edit {
  const config = configObject(source);
  const features = config.getProperties().find((p) => propertyName(p) === 'features');
  if (!features)
    return on
      ? setProperty(source, config, 'features', '{ organizations: true }')
      : { status: 'unchanged', splices: [] };
  const value = Node.isPropertyAssignment(features) ? features.getInitializer() : undefined;
  if (value && Node.isObjectLiteralExpression(value)) {
    if (!on && !value.getProperties().some((p) => propertyName(p) === 'organizations'))
      return { status: 'unchanged', splices: [] };
    return setProperty(source, value, 'organizations', String(on));
  }
  if (value && Node.isArrayLiteralExpression(value)) {
    return on
      ? addArrayItem(source, value, quoted('organizations', source.style), isString('organizations'))
      : removeArrayItem(source, value, isString('organizations'));
  }
  throw conflict(source, value ?? features, '`features`', `set features: { organizations: ${on} }`);
}

interface Switch {
  /** What the switch edits, for help. */
  edits: string;
  run(tree: Tree, on: boolean): string[];
}

function inConfig(what: string, edit: ConfigSwitch, edits: string): Switch {
  return {
    edits,
    run(tree, on) {
      const result = editConfig(tree, (source) => edit(source, on));
      return [
        `${what}: ${
          result.status === 'unchanged' ? `already ${on ? 'enabled' : 'disabled'}` : on ? 'enabled' : 'disabled'
        }`,
      ];
    },
  };
}

/** In the issue's order (the first is the default of the interactive `enable` prompt). */
const switches: Record<string, Switch> = {
  realtime: inConfig('realtime', realtime, "`realtime` in defineDatabase(...)'s options"),
  organizations: inConfig(
    'organizations',
    organizations,
    '`features: { organizations }` (or "organizations" in `features: [...]`)',
  ),
  encryption: {
    edits: 'a generated ENCRYPTION_KEK in .env (.dev.vars on Cloudflare); disable writes nothing',
    run: (tree, on) => (on ? enableEncryption(tree) : disableEncryption(tree)),
  },
  webhooks: inConfig(
    'webhooks',
    webhooks,
    '`webhooksBinding: "WEBHOOKS_DB"` in defineDatabase(...)\'s options (removed by disable)',
  ),
  files: inConfig(
    'files',
    files,
    '`fileStorage: defineFileStorage("r2", { binding: "FILES" })` in providers (removed by disable)',
  ),
  openapi: inConfig('openapi', openapi, 'the Better Auth plugin "openAPI" in defineAuth(...)'),
  'jwt-revocation': inConfig(
    'jwt-revocation',
    jwtRevocation,
    '`auth.jwt.revocationCheck: "kv"` ("none" when disabled)',
  ),
  observability: inConfig('observability', observability, "`observability.enabled` in defineRuntime(...)'s options"),
  placement: inConfig(
    'placement',
    placement,
    '`placement.mode: "smart"` ("standard" when disabled) in defineRuntime(...)\'s options',
  ),
};

function toggle(what: string, on: boolean): Generator<Record<string, never>, GeneratorReport> {
  const command = `${on ? 'enable' : 'disable'} ${what}`;
  return defineGenerator({
    command,
    summary: `${on ? 'switch on' : 'switch off'} ${what}: ${switches[what].edits}`,
    usage: `quickback ${command} [--dry-run] [--json] [--no-compile] [--cwd DIR]`,
    options: (positionals) => noArguments(command, positionals),
    run: (tree) => ({ messages: switches[what].run(tree, on) }),
  });
}

export const toggleGenerators = Object.keys(switches).flatMap((what) => [toggle(what, true), toggle(what, false)]);
