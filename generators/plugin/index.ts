/**
 * `quickback add plugin <name>`: adds a Better Auth plugin to `defineAuth(...)` in
 * quickback/quickback.config.ts, in whichever form the file uses: the array (`plugins: ["a"]`) or
 * the object (`plugins: { a: true }`, where an explicit `false` is flipped to `true`). Creates the
 * options object or the `plugins` property when missing; anything else is QB_GEN_CONFLICT.
 */
import { Node } from 'ts-morph';
import {
  addArrayItem,
  asObject,
  isString,
  removeArrayItem,
  removeProperty,
  setProperty,
  type Edit,
} from '../../src/codemod/edits.js';
import { conflict, findCall, property, propertyName, type ParsedSource } from '../../src/codemod/source.js';
import { quoted } from '../../src/codemod/style.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { authPluginNames } from '../../src/compiler/validate/schema/providers.js';
import { editConfig } from '../config.js';
import { defineGenerator } from '../types.js';
import { pluginOptions } from './options.js';

/** The edit of `add plugin <name>` on a parsed config. */
export function addPlugin(source: ParsedSource, name: string): Edit {
  const call = findCall(source, 'defineAuth');
  const manual = `add "${name}" to plugins in defineAuth("better-auth", { plugins: [...] })`;
  if (!call)
    throw new QuickbackError('QB_GEN_CONFLICT', `${source.path} has no defineAuth(...) call`, {
      file: source.path,
      hint: `Add providers.auth: defineAuth("better-auth", { plugins: ["${name}"] }) by hand.`,
    });
  const [kind, options] = call.getArguments();
  const item = quoted(name, source.style);
  if (!options)
    return {
      status: 'added',
      splices: [{ start: kind.getEnd(), end: kind.getEnd(), text: `, { plugins: [${item}] }` }],
    };
  const object = asObject(source, options, 'the defineAuth options', manual);
  const plugins = object.getProperties().find((p) => propertyName(p) === 'plugins');
  if (!plugins) return setProperty(source, object, 'plugins', `[${item}]`);
  const value = Node.isPropertyAssignment(plugins) ? plugins.getInitializer() : undefined;
  if (value && Node.isArrayLiteralExpression(value)) return addArrayItem(source, value, item, isString(name));
  if (value && Node.isObjectLiteralExpression(value)) {
    const current = value.getProperties().find((p) => propertyName(p) === name);
    const setting = current && Node.isPropertyAssignment(current) ? current.getInitializer()?.getText() : undefined;
    if (setting !== undefined && setting !== 'false') return { status: 'unchanged', splices: [] };
    return setProperty(source, value, name, 'true');
  }
  throw conflict(source, value ?? plugins, '`plugins`', manual);
}

export const pluginGenerator = defineGenerator({
  command: 'add plugin',
  summary: 'add a Better Auth plugin to defineAuth(...) in quickback.config.ts',
  usage: 'quickback add plugin <name> [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  args: [{ name: 'name', message: 'Which Better Auth plugin?', choices: authPluginNames }],
  options: (positionals) => pluginOptions(positionals),
  run(tree, { name }) {
    const result = editConfig(tree, (source) => addPlugin(source, name));
    return { messages: [`plugin ${name}: ${result.status === 'unchanged' ? 'already enabled' : result.status}`] };
  },
});

/**
 * Whether `name` is the one entry of a `plugins` literal with no comments in it: removing it
 * removes the whole `plugins` key (not `plugins: []`). A literal with comments keeps its key, so
 * the comments stay.
 */
function isOnlyPlugin(value: Node | undefined, name: string): boolean {
  const entries = value && Node.isArrayLiteralExpression(value)
    ? value.getElements()
    : value && Node.isObjectLiteralExpression(value)
    ? value.getProperties()
    : [];
  if (entries.length !== 1) return false;
  const [entry] = entries;
  const matches = Node.isArrayLiteralExpression(value) ? isString(name)(entry) : propertyName(entry) === name;
  const rest = value!.getText().slice(0, entry.getStart() - value!.getStart())
    + value!.getText().slice(entry.getEnd() - value!.getStart());
  return matches && !/\/[/*]/.test(rest);
}

/** The edit of `remove plugin <name>`: the array item, or the object form's property, goes; the last one takes the `plugins` key with it. */
export function removePlugin(source: ParsedSource, name: string): Edit {
  const call = findCall(source, 'defineAuth');
  const options = call?.getArguments()[1];
  if (!options) return { status: 'unchanged', splices: [] };
  const manual = `remove "${name}" from plugins in defineAuth(...)`;
  const object = asObject(source, options, 'the defineAuth options', manual);
  const { node, value } = property(object, 'plugins');
  if (!node) return { status: 'unchanged', splices: [] };
  if (isOnlyPlugin(value, name)) return removeProperty(source, object, 'plugins');
  if (value && Node.isArrayLiteralExpression(value)) return removeArrayItem(source, value, isString(name));
  if (value && Node.isObjectLiteralExpression(value)) return removeProperty(source, value, name);
  throw conflict(source, value ?? node, '`plugins`', manual);
}

export const removePluginGenerator = defineGenerator({
  command: 'remove plugin',
  summary: 'remove a Better Auth plugin from defineAuth(...) in quickback.config.ts',
  usage: 'quickback remove plugin <name> [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  args: [{ name: 'name', message: 'Which Better Auth plugin should go?', choices: authPluginNames }],
  options: (positionals) => pluginOptions(positionals, 'remove'),
  run(tree, { name }) {
    const result = editConfig(tree, (source) => removePlugin(source, name));
    return {
      messages: [`plugin ${name}: ${result.status === 'unchanged' ? 'not enabled (nothing to remove)' : 'removed'}`],
    };
  },
});
