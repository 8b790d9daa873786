/**
 * @module emitters/openapi/responses.testkit
 * Test support (tests only): checks a real HTTP exchange against an OpenAPI document the way a
 * client generated from it would read it. The operation is found by path template (concrete
 * paths before templated ones, as OpenAPI says) and method; the response by status, then its
 * `NXX` range, then `default`; the Content-Type must be one the response lists (or match a listed
 * range such as `text/*`); a response without content must have no body; the body is validated
 * with Ajv against the schema (JSON bodies parsed, other media types as text).
 */
import { documentAjv, messages } from './openapi.testkit.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

type Doc = Record<string, any>;

export interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: string;
}

export interface Verdict {
  /** `get /api/v1/tickets/{id}` (null: no documented operation). */
  operation: string | null;
  /** The response key that answered: `200`, `4XX`, `default` (null: none). */
  response: string | null;
  /** The Content-Type as sent, without parameters. */
  mediaType: string | null;
  /** Why the exchange is not what the document says (empty: it is). */
  errors: string[];
}

const essence = (type: string | null) => (type ?? '').split(';')[0].trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

export function responseChecker(doc: Doc) {
  const { ajv, rewritten } = documentAjv(doc);
  const compiled = new Map<string, ValidateFunction>();
  /** Templates, most concrete first: fewer parameters, then literal segments before parameters, left to right. */
  const templates = Object.keys(rewritten.paths).map((template) => ({
    template,
    pattern: new RegExp(
      `^${
        template.split('/').map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join(
          '/',
        )
      }$`,
    ),
    rank: template.split('/').map((s) => (s.startsWith('{') ? '1' : '0')).join(''),
    params: (template.match(/\{/g) ?? []).length,
  })).sort((a, b) => a.params - b.params || (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const resolve = (
    response: Doc,
  ): Doc => (typeof response.$ref === 'string'
    ? rewritten.components.responses[response.$ref.split('/').pop()!]
    : response);

  return (exchange: Exchange): Verdict => {
    const path = exchange.path.split('?')[0];
    const match = templates.find((t) => t.pattern.test(path));
    const method = exchange.method.toLowerCase();
    const op: Doc | undefined = match ? rewritten.paths[match.template][method] : undefined;
    const mediaType = essence(exchange.contentType) || null;
    if (!match || !op)
      return {
        operation: null,
        response: null,
        mediaType,
        errors: [`${exchange.method} ${path}: no documented operation`],
      };
    const operation = `${method} ${match.template}`;
    const status = String(exchange.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => k in op.responses) ?? null;
    const at = `${operation} → ${status}`;
    if (!key) return { operation, response: null, mediaType, errors: [`${at}: no documented response`] };
    const response = resolve(op.responses[key]);
    const content: Doc | undefined = response.content;
    if (!content)
      return {
        operation,
        response: key,
        mediaType,
        errors: exchange.body === '' ? [] : [`${at}: documented without a body, got ${exchange.body.length} bytes`],
      };
    const listed = Object.keys(content);
    const media = mediaType === null
      ? undefined
      : [mediaType, `${mediaType.split('/')[0]}/*`, '*/*'].find((m) => listed.includes(m));
    if (!media)
      return {
        operation,
        response: key,
        mediaType,
        errors: [`${at}: Content-Type ${exchange.contentType ?? '(none)'} is not one of ${listed.join(', ')}`],
      };
    const schema = content[media].schema;
    if (!schema) return { operation, response: key, mediaType, errors: [] };
    let value: unknown = exchange.body;
    if (isJson(mediaType!)) {
      try {
        value = JSON.parse(exchange.body);
      } catch {
        return { operation, response: key, mediaType, errors: [`${at}: the body is not JSON`] };
      }
    }
    const cacheKey = `${operation} ${key} ${media}`;
    let validate = compiled.get(cacheKey);
    if (!validate) compiled.set(cacheKey, validate = ajv.compile(schema));
    return {
      operation,
      response: key,
      mediaType,
      errors: validate(value) ? [] : messages(validate.errors).map((m) => `${at}: ${m}`),
    };
  };
}
