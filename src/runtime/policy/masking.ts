/**
 * @module quickback/masking
 * Read-side redaction, applied after access on every response that carries rows (get, list,
 * create/update echoes, batch results, action results). A caller sees a column's real value when
 * one of their organization roles or platform roles is in `show`, or when they own the row.
 * Filtering, sorting and searching on a masked column need a role in `query.roles`.
 */
import type { AppContext } from '../core/context.js';
import type { MaskRule } from '../core/resource.js';

export type { MaskRule, MaskType } from '../core/resource.js';

const STARS = '***';

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return '[REDACTED]';
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${value[0]}${STARS}@${host.slice(0, 1)}${STARS}${tld}`;
}

function maskDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(Math.max(digits.length, 4));
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

function maskName(value: string): string {
  const words = value.trim().split(/\s+/).filter(Boolean);
  return words.length === 0 ? STARS : words.map((w) => `${[...w][0]}${STARS}`).join(' ');
}

function maskCustom(value: string, keep: { keepFirst: number; keepLast: number }): string {
  const chars = [...value];
  if (chars.length <= keep.keepFirst + keep.keepLast) return '*'.repeat(Math.max(chars.length, 3));
  return chars.slice(0, keep.keepFirst).join('') + '*'.repeat(chars.length - keep.keepFirst - keep.keepLast)
    + chars.slice(chars.length - keep.keepLast).join('');
}

/** The masked form of a value; null and undefined pass through. */
export function maskValue(rule: Pick<MaskRule, 'type' | 'custom'>, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (rule.type) {
    case 'email':
      return maskEmail(text);
    case 'phone':
    case 'ssn':
    case 'creditCard':
      return maskDigits(text);
    case 'name':
      return maskName(text);
    case 'custom':
      return maskCustom(text, rule.custom ?? { keepFirst: 0, keepLast: 0 });
    default:
      return '[REDACTED]';
  }
}

function hasAny(have: readonly string[], want: readonly string[]): boolean {
  return want.some((role) => have.includes(role));
}

/** Whether this caller sees the real value of the column on this row. */
export function revealed(rule: MaskRule, ctx: AppContext, row: Record<string, unknown>): boolean {
  if (!ctx.authenticated) return false;
  if (hasAny(ctx.roles, rule.show.roles)) return true;
  if (ctx.userRole !== null && rule.show.userRole.includes(ctx.userRole)) return true;
  return rule.show.owner !== undefined && ctx.userId !== null && row[rule.show.owner] === ctx.userId;
}

/** Whether this caller may filter, sort or search on the column. */
export function queryable(rule: MaskRule | undefined, ctx: AppContext): boolean {
  return rule === undefined || (ctx.authenticated && hasAny(ctx.roles, rule.query.roles));
}

/** A copy of the row with every column this caller may not see masked. */
export function maskRow<T extends Record<string, unknown>>(
  masking: Readonly<Record<string, MaskRule>>,
  ctx: AppContext,
  row: T,
): T {
  let out: Record<string, unknown> | undefined;
  for (const [key, rule] of Object.entries(masking)) {
    if (!(key in row) || revealed(rule, ctx, row)) continue;
    out ??= { ...row };
    out[key] = maskValue(rule, row[key]);
  }
  return (out ?? row) as T;
}
