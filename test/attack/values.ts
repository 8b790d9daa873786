/**
 * Values for request bodies, derived from the FieldModel of each column: deterministic valid
 * bodies for seeding, fast-check arbitraries of valid values, and the guard facts the suites need
 * (which keys a client may send on create and on update).
 */
import fc from 'fast-check';
import type { FeatureModel, FieldModel } from '../../src/compiler/model/ir.js';

export function createKeys(feature: FeatureModel): string[] {
  const g = feature.guards;
  return feature.fields.filter((f) =>
    !f.system && f.kind !== 'id' && (g.createable.includes(f.key) || g.immutable.includes(f.key))
  ).map((f) => f.key);
}

export function updateKeys(feature: FeatureModel): string[] {
  const g = feature.guards;
  return feature.fields.filter((f) =>
    !f.system && f.kind !== 'id' && g.updatable.includes(f.key) && !g.immutable.includes(f.key)
    && !(f.key in g.protected)
  ).map((f) => f.key);
}

function reference(feature: FeatureModel, key: string): string | undefined {
  return feature.table.columns.find((c) => c.key === key)?.references?.table;
}

export function validValue(field: FieldModel, i: number): unknown {
  const lo = field.min ?? 0;
  const hi = field.max ?? lo + 1000;
  switch (field.kind) {
    case 'integer':
      return Math.min(hi, lo + (i % 50));
    case 'number':
      return Math.min(hi, lo + (i % 50) + 0.5);
    case 'boolean':
      return i % 2 === 0;
    case 'enum':
      return field.enumValues![i % field.enumValues!.length];
    case 'email':
      return `person${i}.name@example${i % 7}.com`;
    case 'url':
      return `https://example.com/${i}`;
    case 'timestamp':
      return new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString();
    case 'date':
      return `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    case 'json':
      return { n: i };
    default: {
      const text = `${field.key} value ${i}`;
      return text.slice(0, field.maxLength ?? text.length).padEnd(field.minLength ?? 0, 'x');
    }
  }
}

/** A valid create body: every create key, references pointing at `ref(target)`. */
export function createBody(
  feature: FeatureModel,
  i: number,
  ref: (target: string) => string | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of createKeys(feature)) {
    const target = reference(feature, key);
    const field = feature.fields.find((f) => f.key === key)!;
    body[key] = target ? ref(target) ?? validValue(field, i) : validValue(field, i);
  }
  return body;
}

/** A small valid update body (one updatable field that is not a reference), or undefined. */
export function updateBody(feature: FeatureModel, i: number): Record<string, unknown> | undefined {
  const key = updateKeys(feature).find((k) => !reference(feature, k));
  return key ? { [key]: validValue(feature.fields.find((f) => f.key === key)!, i + 1) } : undefined;
}

/** Random values of the right type for a field (valid or not for its bounds). */
export function anyValue(field: FieldModel): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'integer':
    case 'number':
      return fc.integer({ min: -5, max: 5000 });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...field.enumValues!);
    default:
      return fc.string({ minLength: 1, maxLength: 30 });
  }
}

/** The characters no database stores as sent: NUL and unpaired surrogates (high, low, reversed pair). */
export const UNSTORABLE = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDC00\uD800'];

/** Text with one of them, alone or inside ordinary text; or any code points at all (half surrogates included). */
export const unstorableText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...UNSTORABLE), fc.string({ maxLength: 8 })).map((
    [a, bad, b],
  ) => a + bad + b),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Realistic secret-looking values for a mask type (long enough that a mask cannot equal them). */
export function secretValue(type: string): fc.Arbitrary<string> {
  const word = fc.stringMatching(/^[a-z]{4,10}$/);
  switch (type) {
    case 'email':
      return fc.tuple(word, word, fc.constantFrom('com', 'org', 'io')).map(([a, b, tld]) =>
        `${a}.${b}@${b}${a}.${tld}`
      );
    case 'phone':
    case 'ssn':
    case 'creditCard':
      return fc.stringMatching(/^[1-9][0-9]{9,15}$/);
    case 'name':
      return fc.tuple(word, word).map(([a, b]) =>
        `${a[0].toUpperCase()}${a.slice(1)} ${b[0].toUpperCase()}${b.slice(1)}`
      );
    default:
      return fc.tuple(word, word).map(([a, b]) => `secret-${a}-${b}`);
  }
}

/** A valid value for a JSON Schema (action inputs): the smallest thing each keyword allows. */
export function sampleInput(schema: Record<string, unknown>): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        ((schema.required ?? []) as string[]).map((
          key,
        ) => [key, sampleInput((schema.properties as Record<string, Record<string, unknown>>)[key])]),
      );
    case 'string':
      return 'x'.repeat(Math.max(3, Number(schema.minLength ?? 0)));
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return [];
    default:
      return null;
  }
}
