/**
 * @module compiler/validate/rules/names-rule
 * Feature and column names become identifiers, SQL names and URL segments, so they must match
 * /^[A-Za-z][A-Za-z0-9_]*$/. A feature may not be a JavaScript reserved word (it names the
 * exported table) or share a name with a Better Auth table (it would collide in the database).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { kebabCase } from '../../model/naming.js';
import { resourceError } from '../project.js';

export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

const RESERVED_WORDS = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if '
    + 'import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package '
    + 'private protected public await arguments eval undefined').split(' '),
);
/** Better Auth's models (with the plugins we build), singular and plural, lower-cased. */
const AUTH_TABLES = new Set(
  [
    'user',
    'session',
    'account',
    'verification',
    'organization',
    'member',
    'invitation',
    'apikey',
    'team',
    'teammember',
    'jwks',
  ]
    .flatMap((name) => [name, `${name}s`]),
);

/** `my-tickets` → `my_tickets`, `2fa` → `n2fa`: a valid name to suggest. */
/** `/api/v1/<name>` routes of the platform: the bearer token, the schema registry and `system/email-status`. */
const PLATFORM_ROUTES = new Set(['token', 'schema', 'system']);

function suggestion(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (cleaned === '') return 'items';
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `n${cleaned}`;
}

function checkResource(resource: ResourceInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (typeof resource.name !== 'string' || !NAME_PATTERN.test(resource.name)) {
    out.push(
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_NAME',
        `Feature name "${String(resource.name)}" is not a valid name (letters, digits and _, starting with a letter)`,
        [],
        `Try "${suggestion(String(resource.name))}".`,
      ),
    );
  } else if (RESERVED_WORDS.has(resource.name)) {
    out.push(
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_NAME',
        `Feature name "${resource.name}" is a JavaScript reserved word`,
        [],
        `Try "${resource.name}Items".`,
      ),
    );
  } else if (PLATFORM_ROUTES.has(kebabCase(resource.name))) {
    out.push(
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_NAME',
        `Feature name "${resource.name}" would be served at /api/v1/${
          kebabCase(resource.name)
        }, a route the API itself serves`,
        [],
        `Pick another name (e.g. "${resource.name}Items").`,
      ),
    );
  } else if (AUTH_TABLES.has(resource.name.toLowerCase().replace(/_/g, ''))) {
    out.push(
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_NAME',
        `Feature name "${resource.name}" is taken by a Better Auth table`,
        [],
        `Pick another name (e.g. "${resource.name}Profiles"); extend users through auth options instead of a feature.`,
      ),
    );
  }
  for (const key of Object.keys(resource.columns ?? {})) {
    if (NAME_PATTERN.test(key)) continue;
    out.push(
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_NAME',
        `Column name "${key}" is not a valid name (letters, digits and _, starting with a letter)`,
        ['columns', key],
        `Try "${suggestion(key)}".`,
      ),
    );
  }
  return out;
}

export function namesRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap(checkResource);
}
