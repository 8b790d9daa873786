/**
 * @module emitters/openapi/openapi.testkit
 * Test support (imported by tests only, never by the compiler): validates a document with
 * @seriousme/openapi-schema-validator (OpenAPI 3.1 structure + every `$ref` resolves), and
 * compiles every schema in it with Ajv's JSON Schema 2020-12 meta-schema in strict mode (the
 * OpenAPI validator does not look inside schemas), so values can be checked against them
 * (responses.testkit.ts checks whole responses).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

type Doc = Record<string, any>;
type AddFormats = (ajv: Ajv2020) => unknown;
/** ajv-formats is CommonJS: its default import is the plugin or a namespace holding it. */
const addFormats =
  ((formatsModule as unknown as { default?: AddFormats }).default ?? formatsModule) as unknown as AddFormats;

/** Structural validation; `errors` is empty when the document is valid and its refs resolve. */
export async function validateDocument(doc: Doc): Promise<{ valid: boolean; errors: unknown[] }> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  if (!result.valid) return { valid: false, errors: Array.isArray(result.errors) ? result.errors : [result.errors] };
  try {
    validator.resolveRefs();
  } catch (err) {
    return { valid: false, errors: [String(err)] };
  }
  return { valid: true, errors: [] };
}

const DOC_ID = 'https://quickback.local/openapi';

/** Ajv over the document: `#/components/schemas/<name>` becomes `<DOC_ID>#/$defs/<name>`, so any schema of it compiles alone. */
export function documentAjv(doc: Doc): { ajv: Ajv2020; rewritten: Doc } {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const rewritten = JSON.parse(JSON.stringify(doc).replaceAll('"#/components/schemas/', `"${DOC_ID}#/$defs/`));
  ajv.addSchema({ $id: DOC_ID, $defs: rewritten.components.schemas });
  return { ajv, rewritten };
}

/** Ajv's messages, `<path> <message>`. */
export const messages = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);

/** Every schema of the document (components, parameters, request bodies, responses), compiled; throws on an invalid one. */
export function schemaChecker(doc: Doc) {
  const { ajv, rewritten } = documentAjv(doc);
  for (const name of Object.keys(rewritten.components.schemas)) ajv.getSchema(`${DOC_ID}#/$defs/${name}`);
  const media = (content: Doc | undefined) => Object.values<Doc>(content ?? {}).map((m) => m.schema).filter(Boolean);
  for (const response of Object.values<Doc>(rewritten.components.responses ?? {}))
    media(response.content).forEach((schema) => ajv.compile(schema));
  for (const item of Object.values<Doc>(rewritten.paths)) {
    for (const op of Object.values<Doc>(item)) {
      for (const param of op.parameters ?? []) if (param.schema) ajv.compile(param.schema);
      media(op.requestBody?.content).forEach((schema) => ajv.compile(schema));
      for (const response of Object.values<Doc>(op.responses ?? {}))
        media(response.content).forEach((schema) => ajv.compile(schema));
    }
  }
  return {
    /** Ajv error messages of `value` against `#/components/schemas/<name>` (empty: valid). */
    errors(name: string, value: unknown): string[] {
      const validate = ajv.getSchema(`${DOC_ID}#/$defs/${name}`);
      if (!validate) throw new Error(`no schema ${name}`);
      return validate(value) ? [] : messages(validate.errors);
    },
  };
}
