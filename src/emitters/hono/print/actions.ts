/**
 * @module emitters/hono/print/actions
 * `src/features/<slug>/<slug>.actions.ts` (a feature's actions) and `src/actions/standalone.ts`
 * (tableless actions files): zod inputs printed from JSON Schema, the user's handler modules
 * imported by relative path, and the Hono routes built by the runtime's `actionRoutes`.
 */
import path from 'node:path';
import type { ActionModel, AppModel, FeatureModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, importPath, indentTail, lines, literal, runtimeImport } from '../../print-utils.js';
import { zodFromJsonSchema } from './zod-from-json-schema.js';
import { quickbackSpecifier } from './app-seam.js';

export function actionsPath(feature: FeatureModel | null): string {
  return feature ? `src/features/${feature.slug}/${feature.slug}.actions.ts` : 'src/actions/standalone.ts';
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const handlerName = (action: ActionModel) => `${action.name}Handler`;

/** Module specifier of the user's handler, from the generated file (paths relative to the project root). */
export function handlerImport(model: AppModel, file: string, action: ActionModel): string {
  return importPath(path.posix.join(model.build.outputDir, file), action.handler.replace(/\.(m?ts|m?js)$/, '.ts'));
}

function definition(action: ActionModel, inputs: string): string {
  const relative = action.kind === 'record' ? `/:id/${action.name}` : action.path.slice('/api/v1'.length);
  const fields = [
    `name: ${JSON.stringify(action.name)}`,
    `kind: ${JSON.stringify(action.kind)}`,
    `method: ${JSON.stringify(action.method)}`,
    `path: ${JSON.stringify(relative)}`,
    `access: ${indentTail(literal(action.access), 4)}`,
    `input: ${inputs}.${action.name}`,
    ...(action.transition ? [`transition: ${JSON.stringify(action.transition)}`] : []),
    ...(action.unsafe ? [`unsafe: ${JSON.stringify(action.unsafe)}`] : []),
    `execute: ${handlerName(action)}`,
  ];
  return `  {\n${fields.map((f) => `    ${f},`).join('\n')}\n  },`;
}

export function printActions(model: AppModel, feature: FeatureModel | null): string {
  const actions = feature ? feature.actions : model.actions;
  const file = actionsPath(feature);
  const prefix = feature ? feature.name : 'standalone';
  const inputs = `${prefix}ActionInputs`;
  const resource = feature ? `${feature.name}Resource` : 'null';
  const kinds = (kind: ActionModel['kind']) => actions.filter((a) => a.kind === kind).length > 0;
  const where = (a: ActionModel) => ({
    action: a.name,
    file: feature?.source ?? model.configFile,
    query: a.inputSource === 'query',
  });
  return withBanner(
    'ts',
    feature?.source ?? model.configFile,
    lines(
      importLine(['z'], 'zod'),
      runtimeImport(['actionRoutes', 'type ActionDefinition']),
      importLine(['resources'], feature ? '../../resources.js' : '../resources.js'),
      feature ? importLine([resource], `./${feature.slug}.resource.js`) : false,
      ...actions.map((a) =>
        `import { execute as ${handlerName(a)} } from ${JSON.stringify(handlerImport(model, file, a))};`
      ),
      '',
      `/** Input schemas of the actions (from the zod schemas in the definitions). */`,
      `export const ${inputs} = {`,
      ...actions.map((a) => `  ${a.name}: ${zodFromJsonSchema(a.input, where(a))},`),
      '};',
      '',
      `/** The parsed input of each action, for typing handlers: ${pascal(prefix)}ActionInput<"name">. */`,
      `export type ${pascal(prefix)}ActionInput<K extends keyof typeof ${inputs}> = z.output<(typeof ${inputs})[K]>;`,
      '',
      'const actions: ActionDefinition[] = [',
      ...actions.map((a) => definition(a, inputs)),
      '];',
      '',
      kinds('record') ? `/** Record actions, mounted with the CRUD routes of ${feature?.routePath}. */` : false,
      kinds('record')
        ? `export const ${prefix}RecordActions = actionRoutes(${resource}, resources, actions.filter((a) => a.kind === "record"));`
        : false,
      kinds('standalone') ? '/** Standalone actions, mounted at /api/v1 before every feature route. */' : false,
      kinds('standalone')
        ? `export const ${prefix}StandaloneActions = actionRoutes(${resource}, resources, actions.filter((a) => a.kind === "standalone"));`
        : false,
    ),
  );
}

/** A typed skeleton for a missing handler file; written once, then the user's. */
export function printHandlerSeed(model: AppModel, feature: FeatureModel | null, action: ActionModel): string {
  const generated = path.posix.join(model.build.outputDir, actionsPath(feature));
  const lib = quickbackSpecifier(model, action.handler);
  const types = importPath(action.handler, generated);
  const prefix = pascal(feature ? feature.name : 'standalone');
  return lines(
    `import type { ActionHandler } from ${JSON.stringify(lib)};`,
    `import type { ${prefix}ActionInput } from ${JSON.stringify(types)};`,
    '',
    `/** ${action.description} (${action.method} ${action.path}) */`,
    `export const execute: ActionHandler<${prefix}ActionInput<${JSON.stringify(action.name)}>> = async ({ ${
      action.kind === 'record' ? 'record, ' : ''
    }input }) => {`,
    `  // \`db\` is scoped to the caller's tenant; throw new ActionError(message, code, status) for 4xx answers.`,
    `  return { ok: true, input${action.kind === 'record' ? ', record' : ''} };`,
    '};',
  );
}
