/**
 * @module quickback/sigv4
 * AWS Signature Version 4 over the Web Crypto API alone (`globalThis.crypto.subtle`), so the same
 * code signs on Cloudflare Workers, Node 20 and Bun; no AWS SDK, no `node:crypto`. Plus the one
 * call Quickback makes with it: SES v2 `SendEmail` (`POST /v2/email/outbound-emails`).
 * The canonical path is the path as sent on the wire (the URL's percent-encoded form), normalised
 * and with each segment URI-encoded once more, which is what AWS checks for every service but S3
 * (the AWS SDKs' "double encoding"); S3 signs the wire path as it is.
 */

export interface SignInput {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Text, or bytes (S3 object uploads). */
  body: string | Uint8Array;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  now?: Date;
  /** Add and sign `x-amz-content-sha256` (default true; the AWS test-suite vectors sign without it). */
  contentSha256?: boolean;
}

export interface SesMessage {
  from: string;
  to: string[];
  replyTo?: string[];
  subject: string;
  text: string;
  html?: string;
}

export interface SesConfig {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Default `https://email.<region>.amazonaws.com`. */
  endpoint?: string;
  fetch?: typeof fetch;
}

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256Hex = async (data: string | Uint8Array): Promise<string> =>
  hex(
    await crypto.subtle.digest(
      'SHA-256',
      typeof data === 'string' ? encoder.encode(data) : (data as Uint8Array<ArrayBuffer>),
    ),
  );

/** Whatever TextEncoder gives here, so DOM, Node and Workers typings all accept it as key bytes. */
type KeyBytes = ArrayBuffer | ReturnType<typeof encoder.encode>;

async function hmac(key: KeyBytes, data: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, encoder.encode(data));
}

/** RFC 3986 encoding: everything but `A-Z a-z 0-9 - . _ ~` as UTF-8 `%XX`. */
const encodeRfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalPath(pathname: string, service: string): string {
  if (service === 's3') return pathname || '/';
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeRfc3986(segment));
  }
  const trailing = segments.length > 0 && pathname.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  return search.slice(1).split('&').filter((pair) => pair !== '').map((pair) => {
    const eq = pair.indexOf('=');
    const [key, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return [encodeRfc3986(safeDecode(key)), encodeRfc3986(safeDecode(value))] as const;
  }).sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

/** `20150830T123600Z` */
const amzDateOf = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Signs a request; returns every header to send (lowercase names), `authorization` included. */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
  const url = new URL(input.url);
  const amzDate = amzDateOf(input.now ?? new Date());
  const day = amzDate.slice(0, 8);
  const payloadHash = await sha256Hex(input.body);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    const key = name.toLowerCase();
    if (key === 'authorization' || key === 'host') continue;
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  headers.host = url.host;
  headers['x-amz-date'] = amzDate;
  if (input.contentSha256 !== false) headers['x-amz-content-sha256'] = payloadHash;
  if (input.sessionToken) headers['x-amz-security-token'] = input.sessionToken;

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(url.pathname, input.service),
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');

  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${await sha256Hex(canonicalRequest)}`;
  let key = await hmac(encoder.encode(`AWS4${input.secretAccessKey}`), day);
  for (const part of [input.region, input.service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));

  const sorted: Record<string, string> = {};
  for (const n of names) sorted[n] = headers[n];
  sorted.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return sorted;
}

/** Sends one email through SES v2; throws with the HTTP status and SES's message on a non-2xx answer. */
export async function sendSesEmail(message: SesMessage, config: SesConfig): Promise<{ messageId: string }> {
  const endpoint = (config.endpoint ?? `https://email.${config.region}.amazonaws.com`).replace(/\/+$/, '');
  const url = `${endpoint}/v2/email/outbound-emails`;
  const content = (data: string) => ({ Data: data, Charset: 'UTF-8' });
  const body = JSON.stringify({
    FromEmailAddress: message.from,
    Destination: { ToAddresses: message.to },
    ...(message.replyTo?.length ? { ReplyToAddresses: message.replyTo } : {}),
    Content: {
      Simple: {
        Subject: content(message.subject),
        Body: { Text: content(message.text), ...(message.html !== undefined ? { Html: content(message.html) } : {}) },
      },
    },
  });
  const signed = await signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body,
    service: 'ses',
    region: config.region,
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    sessionToken: config.sessionToken,
  });
  // fetch derives `host` from the URL (Workers refuse to set it); the signature covers that same value.
  const { host: _host, ...headers } = signed;
  const response = await (config.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body });
  const raw = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch { /* not JSON: reported as text below */ }
  if (!response.ok) {
    const type = (response.headers.get('x-amzn-errortype') ?? '').split(':')[0];
    const detail = String(parsed.message ?? parsed.Message ?? raw.slice(0, 200));
    throw new Error(`SES SendEmail failed: HTTP ${response.status}${type ? ` ${type}` : ''}: ${detail}`);
  }
  if (typeof parsed.MessageId !== 'string')
    throw new Error(`SES SendEmail answered HTTP ${response.status} without a MessageId`);
  return { messageId: parsed.MessageId };
}
