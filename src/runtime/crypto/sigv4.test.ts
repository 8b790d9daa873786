/**
 * @module quickback/sigv4.test
 * SigV4 against AWS's own test-suite vectors (awslabs/aws-c-auth tests/aws-signing-test-suite/v4,
 * the expected Authorization headers copied verbatim), then SES SendEmail against a local fake
 * that verifies signatures with its own node:crypto implementation.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSes, type FakeSes } from '../../../test/support/fake-ses.js';
import { sendSesEmail, signRequest, type SignInput } from './sigv4.js';

const SUITE = {
  region: 'us-east-1',
  service: 'service',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  now: new Date('2015-08-30T12:36:00Z'),
  headers: {},
  body: '',
  contentSha256: false,
} as const;
const HOST = 'https://example.amazonaws.com';
const authorization = (signed: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signed}, Signature=${signature}`;

describe('signRequest: AWS SigV4 test suite', () => {
  const vectors: Array<[string, Partial<SignInput> & { method: string; url: string }, string, string]> = [
    [
      'get-vanilla',
      { method: 'GET', url: `${HOST}/` },
      'host;x-amz-date',
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ],
    [
      'post-vanilla',
      { method: 'POST', url: `${HOST}/` },
      'host;x-amz-date',
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ],
    [
      'get-vanilla-query-order-key-case',
      { method: 'GET', url: `${HOST}/?Param2=value2&Param1=value1` },
      'host;x-amz-date',
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ],
    [
      'get-vanilla-utf8-query',
      { method: 'GET', url: `${HOST}/?ሴ=bar` },
      'host;x-amz-date',
      '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
    ],
    [
      'get-vanilla-query-unreserved',
      {
        method: 'GET',
        url:
          `${HOST}/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`,
      },
      'host;x-amz-date',
      '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
    ],
    [
      'get-unreserved',
      { method: 'GET', url: `${HOST}/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz` },
      'host;x-amz-date',
      '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
    ],
    [
      'get-slashes-normalized',
      { method: 'GET', url: `${HOST}//example//` },
      'host;x-amz-date',
      '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84',
    ],
    [
      'get-header-value-trim',
      { method: 'GET', url: `${HOST}/`, headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' } },
      'host;my-header1;my-header2;x-amz-date',
      'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    ],
    [
      'post-header-key-sort',
      { method: 'POST', url: `${HOST}/`, headers: { 'My-Header1': 'value1' } },
      'host;my-header1;x-amz-date',
      'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
    ],
    [
      'get-vanilla-with-session-token',
      {
        method: 'GET',
        url: `${HOST}/`,
        sessionToken: '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267',
      },
      'host;x-amz-date;x-amz-security-token',
      '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
    ],
    [
      'post-x-www-form-urlencoded',
      {
        method: 'POST',
        url: `${HOST}/`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '13' },
        body: 'Param1=value1',
        contentSha256: true,
      },
      'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
      'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
    ],
  ];
  it.each(vectors)('%s', async (_name, request, signed, signature) => {
    const headers = await signRequest({ ...SUITE, ...request });
    expect(headers.authorization).toBe(authorization(signed, signature));
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.host).toBe('example.amazonaws.com');
  });

  it('encodes each segment of the percent-encoded wire path once more (non-S3), against a node:crypto reference', async () => {
    const headers = await signRequest({ ...SUITE, method: 'GET', url: `${HOST}/ሴ/a%3Ab/./x/../?b=2&a=x y` });
    const canonical = [
      'GET',
      '/%25E1%2588%25B4/a%253Ab/',
      'a=x%20y&b=2',
      'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n',
      'host;x-amz-date',
      createHash('sha256').update('').digest('hex'),
    ].join('\n');
    const stringToSign = `AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n${
      createHash('sha256').update(canonical).digest('hex')
    }`;
    let key: Buffer = Buffer.from(`AWS4${SUITE.secretAccessKey}`);
    for (const part of ['20150830', 'us-east-1', 'service', 'aws4_request'])
      key = createHmac('sha256', key).update(part).digest();
    expect(headers.authorization).toBe(
      authorization('host;x-amz-date', createHmac('sha256', key).update(stringToSign).digest('hex')),
    );
  });
});

describe('sendSesEmail against the fake SES', () => {
  const creds = { accessKeyId: 'AKIAFAKEFAKEFAKE', secretAccessKey: 'fake/secret+key', region: 'eu-west-1' };
  let ses: FakeSes;
  beforeAll(async () => {
    ses = await startFakeSes(creds);
  });
  afterAll(() => ses.close());

  const signedPost = async (
    path: string,
    opts: { secret?: string; keyId?: string; region?: string; now?: Date; tamper?: string } = {},
  ) => {
    const body =
      '{"FromEmailAddress":"a@x.test","Destination":{"ToAddresses":["b@x.test"]},"Content":{"Simple":{"Subject":{"Data":"s"},"Body":{"Text":{"Data":"t"}}}}}';
    const url = `${ses.url}${path}`;
    const { host: _host, ...headers } = await signRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      service: 'ses',
      region: opts.region ?? creds.region,
      accessKeyId: opts.keyId ?? creds.accessKeyId,
      secretAccessKey: opts.secret ?? creds.secretAccessKey,
      now: opts.now,
    });
    const response = await fetch(url, { method: 'POST', headers, body: opts.tamper ?? body });
    return {
      status: response.status,
      type: response.headers.get('x-amzn-errortype'),
      body: await response.json() as { message?: string; MessageId?: string },
    };
  };

  it('delivers a signed SendEmail and returns its MessageId', async () => {
    const { messageId } = await sendSesEmail(
      {
        from: 'Quickback <no-reply@x.test>',
        to: ['ada@x.test', 'bob@x.test'],
        replyTo: ['help@x.test'],
        subject: 'Héllo ✓',
        text: 'plain',
        html: '<p>rich</p>',
      },
      { ...creds, endpoint: `${ses.url}/`, sessionToken: 'session-token' },
    );
    expect(messageId).toMatch(/\S/);
    expect(ses.emails.at(-1)).toEqual({
      from: 'Quickback <no-reply@x.test>',
      to: ['ada@x.test', 'bob@x.test'],
      replyTo: ['help@x.test'],
      subject: 'Héllo ✓',
      text: 'plain',
      html: '<p>rich</p>',
      messageId,
    });

    await sendSesEmail(
      { from: 'a@x.test', to: ['b@x.test'], subject: 's', text: 't' },
      { ...creds, endpoint: ses.url },
    );
    expect(ses.emails.at(-1)).toMatchObject({ replyTo: [], text: 't' });
    expect(ses.emails.at(-1)).not.toHaveProperty('html');
  });

  it('a wrong secret is refused with 403 SignatureDoesNotMatch, and sendSesEmail throws without leaking it', async () => {
    const direct = await signedPost('/v2/email/outbound-emails', { secret: 'not-the-secret' });
    expect(direct).toMatchObject({ status: 403, type: 'SignatureDoesNotMatchException' });
    expect(direct.body.message).toMatch(/^The request signature we calculated does not match/);

    const sent = sendSesEmail(
      { from: 'a@x.test', to: ['b@x.test'], subject: 's', text: 't' },
      { ...creds, secretAccessKey: 'not-the-secret', endpoint: ses.url },
    );
    await expect(sent).rejects.toThrow(
      /HTTP 403 SignatureDoesNotMatchException: The request signature we calculated does not match/,
    );
    await sent.catch((err: Error) => expect(err.message).not.toContain('not-the-secret'));
  });

  it('the fake checks key id, scope, clock skew, body hash, presence of a signature and the path', async () => {
    const path = '/v2/email/outbound-emails';
    expect(await signedPost(path)).toMatchObject({ status: 200, body: { MessageId: expect.any(String) } });
    expect(await signedPost(path, { keyId: 'AKIAOTHER' })).toMatchObject({
      status: 403,
      type: 'UnrecognizedClientException',
    });
    expect(await signedPost(path, { region: 'us-east-1' })).toMatchObject({ status: 403 });
    expect(await signedPost(path, { now: new Date(Date.now() - 16 * 60_000) })).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
    });
    expect(await signedPost(path, { now: new Date(Date.now() - 5 * 60_000) })).toMatchObject({ status: 200 });
    expect(await signedPost(path, { tamper: '{"FromEmailAddress":"evil@x.test"}' })).toMatchObject({
      status: 403,
      type: 'SignatureDoesNotMatchException',
    });
    expect(await signedPost('/v2/email/identities')).toMatchObject({ status: 404 });
    const unsigned = await fetch(`${ses.url}${path}`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
  });
});
