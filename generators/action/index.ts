/**
 * `quickback add action <feature> <name> [--standalone] [--method POST]`: adds the action to the
 * feature's actions.ts (`defineActions(table, {...})`), creating the file from files/ when there
 * is none. The handler file it names, handlers/<name>.ts, is the user's: the compile that follows
 * seeds it (once) with a typed skeleton.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { asObject, setProperty, type Edit } from '../../src/codemod/edits.js';
import { findCall, parseSource, property, type ParsedSource } from '../../src/codemod/source.js';
import { applySplices } from '../../src/codemod/splice.js';
import { quoted } from '../../src/codemod/style.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { packagePath } from '../../src/shared/package-root.js';
import { FEATURES, featureArgument, featureFile } from '../feature-file.js';
import { defineGenerator } from '../types.js';
import { actionOptions, type ActionOptions } from './options.js';

const TEMPLATE = packagePath('generators', 'action', 'files', 'quickback', 'features', '__feature__', 'actions.ts.hbs');
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function parts(options: ActionOptions) {
  const words = kebab(options.name).split('-').join(' ');
  return {
    description: `${words[0].toUpperCase()}${words.slice(1)} (${options.feature})`,
    path: options.standalone ? `/${options.feature}/${kebab(options.name)}` : undefined,
    handler: `./handlers/${kebab(options.name)}`,
  };
}

/** The entry `name: { ... }` on one line, in the file's quotes (no `input` unless zod is imported). */
export function addAction(source: ParsedSource, options: ActionOptions): Edit {
  const call = findCall(source, 'defineActions');
  if (!call)
    throw new QuickbackError('QB_GEN_CONFLICT', `${source.path} has no defineActions(...) call`, {
      file: source.path,
      hint: 'Add the action by hand.',
    });
  const actions = asObject(
    source,
    call.getArguments()[1],
    'the actions of defineActions(...)',
    `add ${options.name}: { ... } by hand`,
  );
  if (property(actions, options.name).node) return { status: 'unchanged', splices: [] };
  const q = (text: string) => quoted(text, source.style);
  const { description, path, handler } = parts(options);
  const zod = /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*["']zod["']/.test(source.text);
  const fields = [
    `description: ${q(description)}`,
    ...(path ? ['standalone: true', `path: ${q(path)}`] : []),
    ...(options.method ? [`method: ${q(options.method)}`] : []),
    ...(zod ? ['input: z.object({})'] : []),
    `access: { roles: [${q('member+')}] }`,
    `handler: ${q(handler)}`,
  ];
  return setProperty(source, actions, options.name, `{ ${fields.join(', ')} }`);
}

export const actionGenerator = defineGenerator({
  command: 'add action',
  summary: "add an action to a feature's actions.ts; the compile seeds its handler file",
  usage:
    'quickback add action <feature> <name> [--standalone] [--method GET|POST|PUT|PATCH|DELETE] [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  flags: { standalone: { type: 'boolean' }, method: { type: 'string' } },
  args: [featureArgument, { name: 'name', message: 'Action name (camelCase)', placeholder: 'checkIn' }],
  options: actionOptions,
  run(tree, options) {
    const definition = featureFile(tree, options.feature);
    const file = `${FEATURES}/${options.feature}/actions.ts`;
    const handler = `${FEATURES}/${options.feature}/handlers/${kebab(options.name)}.ts`;
    const text = tree.read(file);
    const message = (status: string) => ({
      messages: [`action ${options.feature}.${options.name}: ${status} (${file}; handler ${handler})`],
    });
    if (text === null) {
      const render = Handlebars.compile(readFileSync(TEMPLATE, 'utf8'), { noEscape: true, strict: true });
      const { description, path, handler: ref } = parts(options);
      const q = JSON.stringify;
      tree.write(
        file,
        render({
          table: options.feature.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
          module: definition.slice(definition.lastIndexOf('/') + 1).replace(/\.ts$/, ''),
          name: options.name,
          description: q(description),
          standalone: options.standalone,
          path: path && q(path),
          method: options.method && q(options.method),
          handler: q(ref),
        }),
      );
      return message('added');
    }
    const source = parseSource(file, text);
    const edit = addAction(source, options);
    if (edit.splices.length > 0) tree.write(file, applySplices(text, edit.splices));
    return message(edit.status === 'unchanged' ? 'already exists' : 'added');
  },
});
