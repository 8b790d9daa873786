/**
 * @module compiler/model/masking
 * Read-side redaction per column. Explicit `masking` config wins; otherwise a column whose name
 * says it holds contact data or a secret gets a default mask (reference §1.7, "auto-masking"):
 * shown to `admin+` and to the row owner when the table has an owner column.
 */
import type { ResourceSpec } from '../../dsl/feature.js';
import { expandRoles } from './access.js';
import type { FeatureModel, FieldModel, MaskModel, MaskType } from './ir.js';

const words = (key: string) =>
  key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_-]+/).filter(Boolean);

/** Auto-mask patterns: substrings of the squashed name, or whole words for short ones. */
const AUTO: { type: MaskType; contains?: string[]; word?: string[] }[] = [
  { type: 'email', contains: ['email'] },
  { type: 'phone', contains: ['phone', 'mobile'], word: ['fax'] },
  { type: 'ssn', contains: ['ssn', 'socialsecurity', 'nationalid'] },
  { type: 'creditCard', contains: ['creditcard', 'cardnumber'], word: ['cc', 'cvv'] },
  {
    type: 'redact',
    contains: [
      'iban',
      'password',
      'secret',
      'apikey',
      'privatekey',
      'accesstoken',
      'refreshtoken',
      'bearer',
      'stripe',
      'webhook',
    ],
    word: ['token'],
  },
];

export function autoMaskType(key: string): MaskType | undefined {
  const parts = words(key);
  const squashed = parts.join('');
  return AUTO.find((p) => p.contains?.some((s) => squashed.includes(s)) || p.word?.some((w) => parts.includes(w)))
    ?.type;
}

export interface MaskingContext {
  fields: FieldModel[];
  scope: FeatureModel['scope'];
  hierarchy: readonly string[];
}

function explicitMask(spec: NonNullable<ResourceSpec['masking']>[string], ctx: MaskingContext): MaskModel {
  const showRoles = expandRoles(spec.show?.roles ?? [], ctx.hierarchy);
  const owner = spec.show?.or === 'owner' ? ctx.scope.owner : undefined;
  return {
    type: spec.type as MaskType,
    ...(spec.type === 'custom' ? { custom: { keepFirst: spec.keepFirst ?? 0, keepLast: spec.keepLast ?? 0 } } : {}),
    show: { roles: showRoles, userRole: [], ...(owner ? { owner } : {}) },
    query: { roles: spec.query?.roles ? expandRoles(spec.query.roles, ctx.hierarchy) : showRoles },
    auto: false,
  };
}

export function maskingModel(config: ResourceSpec, ctx: MaskingContext): Record<string, MaskModel> {
  const out: Record<string, MaskModel> = {};
  const explicit = config.masking ?? {};
  for (const field of ctx.fields) {
    const spec = explicit[field.key];
    if (spec) {
      out[field.key] = explicitMask(spec, ctx);
      continue;
    }
    const type = field.system || field.kind === 'id' ? undefined : autoMaskType(field.key);
    if (!type) continue;
    const roles = expandRoles(['admin+'], ctx.hierarchy);
    out[field.key] = {
      type,
      show: { roles, userRole: [], ...(ctx.scope.owner ? { owner: ctx.scope.owner } : {}) },
      query: { roles },
      auto: true,
    };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
