/**
 * @module compiler/validate/rules/actions-rule
 * `defineActions`: each action has a description, a zod input that JSON Schema can describe, and
 * a handler file (inline `execute` cannot reach the generated app); roles are known; a transition
 * names a real column and, for enums, real states; standalone paths are absolute; file and stream
 * responses are standalone only and name a media type, JSON ones may describe their `output` in
 * zod; no two actions (or an action and a CRUD route) share a route.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { ActionsInput, LoadedProject } from '../../load/types.js';
import { kebabCase } from '../../model/naming.js';
import { notSupported } from '../capabilities.js';
import { EDITION } from '../capability/providers.js';
import { publicResources, roleHierarchy } from '../project.js';
import { didYouMean, entriesOf, isRecord, stringsOf, type Segment } from '../util.js';

const KEYS = [
  'description',
  'input',
  'output',
  'access',
  'handler',
  'execute',
  'standalone',
  'path',
  'method',
  'responseType',
  'contentType',
  'transition',
  'sideEffects',
  'unsafe',
  'allowRawSql',
  'cms',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const RESERVED = ['batch', 'views'];
/** A media type without parameters (RFC 6838 names): `text/csv`, `application/vnd.ms-excel`. */
const MEDIA_TYPE = /^[A-Za-z0-9][\w!#$&^.+-]{0,126}\/[A-Za-z0-9][\w!#$&^.+-]{0,126}$/;

interface Ctx {
  file: ActionsInput;
  out: Diagnostic[];
  hierarchy: string[];
  columns?: Map<string, readonly string[] | undefined>;
}

function report(ctx: Ctx, code: Diagnostic['code'], message: string, segments: Segment[], hint?: string): void {
  const base = ctx.file.table ? `features.${ctx.file.table}.actions` : 'actions';
  const at = [base, ...segments.map((s) => (typeof s === 'number' ? `[${s}]` : s))].join('.').replace(/\.\[/g, '[');
  ctx.out.push({ code, severity: 'error', message, file: ctx.file.file, at, ...(hint ? { hint } : {}) });
}

function roles(ctx: Ctx, rule: unknown, path: Segment[]): void {
  if (!isRecord(rule)) return;
  stringsOf(rule.roles).forEach((role, i) => {
    const base = role.endsWith('+') ? role.slice(0, -1) : role;
    if (role !== 'PUBLIC' && !ctx.hierarchy.includes(base))
      report(
        ctx,
        'QB_VALIDATE_UNKNOWN_ROLE',
        `Role "${role}" is not in auth.roleHierarchy (${ctx.hierarchy.join(', ')})`,
        [...path, 'roles', i],
        didYouMean(base, ctx.hierarchy, 'Roles'),
      );
  });
  for (const key of ['or', 'and'])
    if (Array.isArray(rule[key])) (rule[key] as unknown[]).forEach((r, i) => roles(ctx, r, [...path, key, i]));
}

function transition(ctx: Ctx, name: string, t: unknown): void {
  if (!isRecord(t)) return;
  const path = [name, 'transition'];
  if (!ctx.columns)
    return report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `Action "${name}" has a transition but is not bound to a feature`,
      path,
    );
  const field = String(t.field);
  if (!ctx.columns.has(field))
    return report(
      ctx,
      'QB_VALIDATE_UNKNOWN_COLUMN',
      `The transition field "${field}" is not a column of "${ctx.file.table}"`,
      [...path, 'field'],
      didYouMean(field, [...ctx.columns.keys()], 'Columns'),
    );
  const states = ctx.columns.get(field);
  const named = [
    ...Object.keys(isRecord(t.fromTo) ? t.fromTo : {}),
    ...entriesOf(t.fromTo).flatMap(([, to]) => stringsOf(to)),
    ...(typeof t.to === 'string' ? [t.to] : []),
  ];
  if (states) {
    for (const state of new Set(named))
      if (!states.includes(state))
        report(ctx, 'QB_VALIDATE_INVALID_ACTION', `"${state}" is not a value of ${field} (${states.join(', ')})`, [
          ...path,
          'fromTo',
        ], didYouMean(state, states, 'States'));
  }
  if (typeof t.to === 'string' && !entriesOf(t.fromTo).some(([, to]) => stringsOf(to).includes(t.to as string)))
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `The transition target "${t.to}" is not reachable from any state in fromTo`,
      [...path, 'to'],
    );
  if (t.to === undefined && t.via === undefined)
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      'A transition needs `to` (the target state) or `via` (the input field that names it)',
      path,
    );
}

/** What the action answers: `output` (a zod schema) for JSON results, `contentType` for files and streams, which are standalone only. */
function response(ctx: Ctx, name: string, spec: Record<string, unknown>, standalone: boolean): void {
  const raw = ['file', 'stream'].includes(String(spec.responseType));
  if (!standalone && raw)
    report(ctx, 'QB_VALIDATE_INVALID_ACTION', `responseType "${spec.responseType}" is for standalone actions`, [
      name,
      'responseType',
    ]);
  const output = ctx.file.resolved?.[name]?.output;
  if (output && 'problem' in output)
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `The output of "${name}" ${output.problem}`,
      [name, 'output'],
      'Describe the JSON the handler returns with zod 4 schemas (dates as z.iso.datetime(), not z.date()).',
    );
  if (output && raw)
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `Action "${name}" answers a ${spec.responseType}: \`output\` describes JSON results only`,
      [name, 'output'],
      'Name the media type of the Response instead: contentType: "text/csv".',
    );
  if (spec.contentType === undefined) return;
  if (!raw)
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `contentType is for file and stream responses (action "${name}" answers JSON)`,
      [name, 'contentType'],
      'Set responseType: "file" or "stream", or drop contentType.',
    );
  else if (typeof spec.contentType !== 'string' || !MEDIA_TYPE.test(spec.contentType))
    report(ctx, 'QB_VALIDATE_INVALID_OPTION', 'contentType must be a media type like "text/csv" (no parameters)', [
      name,
      'contentType',
    ], 'The handler sets parameters such as charset on its own Response.');
}

function action(ctx: Ctx, name: string, spec: unknown, routes: Map<string, string>): void {
  if (!isRecord(spec)) return report(ctx, 'QB_VALIDATE_INVALID_ACTION', `Action "${name}" is not an object`, [name]);
  for (const key of Object.keys(spec))
    if (!KEYS.includes(key))
      report(
        ctx,
        'QB_VALIDATE_UNKNOWN_OPTION',
        `Unknown action option \`${key}\``,
        [name, key],
        didYouMean(key, KEYS, 'Options'),
      );
  if (typeof spec.description !== 'string' || spec.description === '')
    report(ctx, 'QB_VALIDATE_MISSING_OPTION', `Action "${name}" needs a description`, [name, 'description']);
  const input = ctx.file.resolved?.[name]?.input;
  if (!input)
    report(
      ctx,
      'QB_VALIDATE_MISSING_OPTION',
      `Action "${name}" needs an input schema`,
      [name, 'input'],
      'input: z.object({}) for an action without input',
    );
  else if ('problem' in input)
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `The input of "${name}" ${input.problem}`,
      [name, 'input'],
      'Use zod 4 schemas without transforms: z.object({ reason: z.string().max(300) })',
    );
  if (typeof spec.execute === 'function')
    report(
      ctx,
      'QB_VALIDATE_NOT_SUPPORTED',
      notSupported(`Inline \`execute\` (action "${name}")`, EDITION),
      [name, 'execute'],
      `The generated app cannot import your definition files: move the body into a handler file and set handler: "./handlers/${name}".`,
    );
  else if (typeof spec.handler !== 'string' || spec.handler === '')
    report(
      ctx,
      'QB_VALIDATE_MISSING_OPTION',
      `Action "${name}" needs a handler file`,
      [name, 'handler'],
      `handler: "./handlers/${name}" (compile creates the file when it is missing)`,
    );
  const method = spec.method ?? 'POST';
  if (!METHODS.includes(String(method)))
    report(ctx, 'QB_VALIDATE_INVALID_OPTION', `method must be one of ${METHODS.join(', ')}`, [name, 'method']);
  const standalone = spec.standalone === true || spec.path !== undefined || ctx.file.table === null;
  if (standalone && !(typeof spec.path === 'string' && /^\/[\w\-/]*$/.test(spec.path)))
    report(
      ctx,
      'QB_VALIDATE_INVALID_OPTION',
      `Standalone action "${name}" needs an absolute path like "/reports/daily"`,
      [name, 'path'],
      'The path is mounted under /api/v1.',
    );
  if (!standalone && (RESERVED.includes(name) || !/^[A-Za-z][\w-]*$/.test(name)))
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `"${name}" cannot be a record action name (it must be a URL segment other than ${RESERVED.join(', ')})`,
      [name],
    );
  response(ctx, name, spec, standalone);
  roles(ctx, spec.access, [name, 'access']);
  transition(ctx, name, spec.transition);
  const route = `${method} ${
    standalone ? `/api/v1${spec.path}` : `/api/v1/${kebabCase(ctx.file.table ?? '')}/:id/${name}`
  }`;
  if (routes.has(route))
    report(
      ctx,
      'QB_VALIDATE_INVALID_ACTION',
      `Action "${name}" uses the route ${route}, already taken by ${routes.get(route)}`,
      [name, 'path'],
    );
  routes.set(route, `action "${name}"`);
}

export function actionsRule(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hierarchy = roleHierarchy(project.config);
  const resources = new Map(publicResources(project).map((r) => [r.name, r]));
  const routes = new Map<string, string>();
  for (const r of resources.values())
    for (const m of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'])
      for (const p of ['', '/batch'])
        routes.set(`${m} /api/v1/${kebabCase(r.name)}${p}`, `the CRUD routes of "${r.name}"`);
  for (const file of project.actions) {
    const resource = file.table ? resources.get(file.table) : undefined;
    const ctx: Ctx = {
      file,
      out,
      hierarchy,
      columns: resource
        ? new Map(
          Object.entries(resource.columns ?? {}).map(([k, s]) => [k, s?.type === 'enum' ? s.enumValues : undefined]),
        )
        : undefined,
    };
    if (file.table && !resource)
      report(
        ctx,
        'QB_VALIDATE_INVALID_ACTION',
        `defineActions() is bound to "${file.table}", which is not a feature with routes`,
        [],
        'Pass the feature (its default export) or null for standalone actions.',
      );
    for (const [name, spec] of Object.entries(file.actions ?? {})) action(ctx, name, spec, routes);
  }
  return out;
}
