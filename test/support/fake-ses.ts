/**
 * @module test/support/fake-ses
 * A local SES v2 for tests: `POST /v2/email/outbound-emails` on 127.0.0.1 and a free port. It
 * checks SigV4 the way AWS does, re-implemented here with `node:crypto` so that it shares no code
 * with `src/runtime/sigv4.ts`: credential scope (date, region, `ses`, `aws4_request`) and access
 * key id, `x-amz-date` within 15 minutes, `x-amz-content-sha256` equal to the body's hash, and the
 * signature over the canonical request rebuilt from what arrived (method, wire path, query, the
 * headers named in SignedHeaders, body). Failures answer 403 with AWS's JSON error shape.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEmail {
  from: string;
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
  html?: string;
  messageId: string;
}
export interface FakeSes {
  url: string;
  emails: FakeEmail[];
  close(): Promise<void>;
}

const SEND_PATH = '/v2/email/outbound-emails';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

class Rejection {
  constructor(readonly status: number, readonly type: string, readonly message: string) {}
}
const deny = (type: string, message: string) => new Rejection(403, type, message);

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** AWS's server-side canonical URI for non-S3 services: the received path, normalised, each segment encoded again. */
function canonicalUri(rawPath: string): string {
  const out: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '' && seg !== '.') out.push(uriEncode(seg));
  }
  return '/' + out.join('/') + (out.length && rawPath.endsWith('/') ? '/' : '');
}

function canonicalQueryString(rawQuery: string): string {
  const pairs = rawQuery.split('&').filter(Boolean).map((p) => {
    const at = p.indexOf('=');
    return at === -1
      ? [uriEncode(decode(p)), '']
      : [uriEncode(decode(p.slice(0, at))), uriEncode(decode(p.slice(at + 1)))];
  });
  pairs.sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function verify(
  req: IncomingMessage,
  body: Buffer,
  opts: { accessKeyId: string; secretAccessKey: string; region: string },
): void {
  const auth = req.headers.authorization;
  if (!auth) throw deny('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/
      .exec(auth);
  if (!m)
    throw deny(
      'IncompleteSignatureException',
      `Authorization header requires Credential, SignedHeaders and Signature: ${auth.split(' ')[0]}`,
    );
  const [, keyId, day, region, service, signedHeaders, signature] = m;
  if (keyId !== opts.accessKeyId)
    throw deny('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (region !== opts.region || service !== 'ses')
    throw deny(
      'SignatureDoesNotMatchException',
      `Credential should be scoped to a valid region and service 'ses'. ${MISMATCH}`,
    );

  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const t = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!t) throw deny('IncompleteSignatureException', 'X-Amz-Date header is missing or malformed.');
  const signedAt = Date.UTC(+t[1], +t[2] - 1, +t[3], +t[4], +t[5], +t[6]);
  if (Math.abs(Date.now() - signedAt) > MAX_SKEW_MS)
    throw deny('InvalidSignatureException', `Signature expired: ${amzDate} is outside the 15 minute window.`);
  if (amzDate.slice(0, 8) !== day)
    throw deny(
      'SignatureDoesNotMatchException',
      `Credential should be scoped to a valid date ${amzDate.slice(0, 8)}. ${MISMATCH}`,
    );

  const payloadHash = sha256(body);
  if (req.headers['x-amz-content-sha256'] !== payloadHash)
    throw deny(
      'SignatureDoesNotMatchException',
      `The provided x-amz-content-sha256 header does not match what was computed. ${MISMATCH}`,
    );
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) throw deny('SignatureDoesNotMatchException', MISMATCH);
  const lines = names.map((name) => {
    const value = req.headers[name];
    if (value === undefined) throw deny('SignatureDoesNotMatchException', MISMATCH);
    return `${name}:${(Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ')}\n`;
  });

  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const canonical = [
    req.method,
    canonicalUri(q === -1 ? target : target.slice(0, q)),
    canonicalQueryString(q === -1 ? '' : target.slice(q + 1)),
    lines.join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${day}/${region}/${service}/aws4_request`, sha256(canonical)]
    .join('\n');
  let key: Buffer = Buffer.from('AWS4' + opts.secretAccessKey, 'utf8');
  for (const part of [day, region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw deny('SignatureDoesNotMatchException', MISMATCH);
}

function parseEmail(body: Buffer): Omit<FakeEmail, 'messageId'> {
  const json = JSON.parse(body.toString('utf8'));
  const simple = json?.Content?.Simple;
  const to = json?.Destination?.ToAddresses;
  if (
    typeof json?.FromEmailAddress !== 'string' || !Array.isArray(to) || to.length === 0
    || typeof simple?.Subject?.Data !== 'string'
  ) {
    throw new Rejection(
      400,
      'BadRequestException',
      'FromEmailAddress, Destination.ToAddresses and Content.Simple.Subject are required.',
    );
  }
  const html = simple.Body?.Html?.Data;
  return {
    from: json.FromEmailAddress,
    to,
    replyTo: json.ReplyToAddresses ?? [],
    subject: simple.Subject.Data,
    text: simple.Body?.Text?.Data ?? '',
    ...(typeof html === 'string' ? { html } : {}),
  };
}

export async function startFakeSes(
  opts: { accessKeyId: string; secretAccessKey: string; region: string },
): Promise<FakeSes> {
  const emails: FakeEmail[] = [];
  const answer = (res: ServerResponse, status: number, payload: object, type?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': type } : {}) });
    res.end(JSON.stringify(payload));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== SEND_PATH)
          return answer(res, 404, { message: 'Not Found' }, 'NotFoundException');
        verify(req, body, opts);
        const email = { ...parseEmail(body), messageId: `0100${Date.now().toString(16)}-${randomUUID()}-000000` };
        emails.push(email);
        answer(res, 200, { MessageId: email.messageId });
      } catch (err) {
        if (err instanceof Rejection) answer(res, err.status, { message: err.message }, err.type);
        else if (err instanceof SyntaxError)
          answer(res, 400, { message: 'Request body is not valid JSON.' }, 'BadRequestException');
        else answer(res, 500, { message: String(err) }, 'InternalFailure');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    emails,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
