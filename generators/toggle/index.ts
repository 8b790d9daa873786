/**
 * `quickback enable|disable <what>`: switches in quickback.config.ts, each a splice edit:
 * - realtime: `realtime: true|false` in defineDatabase(...)'s options (created when missing);
 * - organizations: `features: { organizations: true|false }`, or the `"organizations"` entry of
 *   the array form `features: [...]` (added or removed); `features` is created when missing.
 * An explicit opposite value is flipped. Shapes that are not literals are QB_GEN_CONFLICT.
 */
import { Node, type ObjectLiteralExpression } from 'ts-morph';
import { addArrayItem, asObject, isString, removeArrayItem, setProperty, type Edit } from '../../src/codemod/edits.js';
import { conflict, findCall, propertyName, type ParsedSource } from '../../src/codemod/source.js';
import { quoted } from '../../src/codemod/style.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { CONFIG, editConfig } from '../config.js';
import { defineGenerator, type Generator, type GeneratorReport } from '../types.js';
import { noArguments } from './options.js';

export function realtime(source: ParsedSource, on: boolean): Edit {
  const call = findCall(source, 'defineDatabase');
  if (!call) throw new QuickbackError('QB_GEN_CONFLICT', `${CONFIG} has no defineDatabase(...) call`, { file: CONFIG, hint: 'Add providers.database: defineDatabase("<kind>", { realtime: true }) by hand.' });
  const [kind, options] = call.getArguments();
  if (!options) return on ? { status: 'added', splices: [{ start: kind.getEnd(), end: kind.getEnd(), text: ', { realtime: true }' }] } : { status: 'unchanged', splices: [] };
  const object = asObject(source, options, 'the defineDatabase options', `set realtime: ${on} in the options of defineDatabase(...)`);
  if (!on && !object.getProperties().some((p) => propertyName(p) === 'realtime')) return { status: 'unchanged', splices: [] };
  return setProperty(source, object, 'realtime', String(on));
}

function configObject(source: ParsedSource): ObjectLiteralExpression {
  return asObject(source, findCall(source, 'defineConfig')?.getArguments()[0], 'the defineConfig argument', 'edit the object passed to defineConfig(...)');
}

function organizations(source: ParsedSource, on: boolean): Edit {
  const config = configObject(source);
  const features = config.getProperties().find((p) => propertyName(p) === 'features');
  if (!features) return on ? setProperty(source, config, 'features', '{ organizations: true }') : { status: 'unchanged', splices: [] };
  const value = Node.isPropertyAssignment(features) ? features.getInitializer() : undefined;
  if (value && Node.isObjectLiteralExpression(value)) {
    if (!on && !value.getProperties().some((p) => propertyName(p) === 'organizations')) return { status: 'unchanged', splices: [] };
    return setProperty(source, value, 'organizations', String(on));
  }
  if (value && Node.isArrayLiteralExpression(value)) {
    return on ? addArrayItem(source, value, quoted('organizations', source.style), isString('organizations')) : removeArrayItem(source, value, isString('organizations'));
  }
  throw conflict(source, value ?? features, '`features`', `set features: { organizations: ${on} }`);
}

const switches: Record<string, (source: ParsedSource, on: boolean) => Edit> = { realtime, organizations };

function toggle(what: string, on: boolean): Generator<Record<string, never>, GeneratorReport> {
  const command = `${on ? 'enable' : 'disable'} ${what}`;
  return defineGenerator({
    command,
    summary: `${on ? 'switch on' : 'switch off'} ${what} in quickback.config.ts`,
    usage: `quickback ${command} [--dry-run] [--json] [--no-compile] [--cwd DIR]`,
    options: (positionals) => noArguments(command, positionals),
    run(tree) {
      const edit = editConfig(tree, (source) => switches[what](source, on));
      return { messages: [`${what}: ${edit.status === 'unchanged' ? `already ${on ? 'enabled' : 'disabled'}` : on ? 'enabled' : 'disabled'}`] };
    },
  });
}

export const toggleGenerators = Object.keys(switches).flatMap((what) => [toggle(what, true), toggle(what, false)]);
