import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredS3Endpoint, s3ObjectUrl, s3RawMailReader } from '../../../src/runtime/aws/read-raw-mail.js';
import { sigV4Error, startS3StandIn } from '../../support/s3-stand-in.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const secrets = { [creds.accessKeyId]: creds.secretAccessKey };

/** A fetch that records what it was asked and answers from the list. */
function fakeFetch(...answers: (Response | Error)[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string> });
    const answer = answers.shift() ?? new Response('', { status: 500 });
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof fetch;
  return { fn, calls };
}

describe('s3ObjectUrl', () => {
  it('is virtual-hosted on AWS', () => {
    expect(s3ObjectUrl('raw-mail-bucket', 'raw/abc123', 'eu-west-1').href).toBe('https://raw-mail-bucket.s3.eu-west-1.amazonaws.com/raw/abc123');
    expect(s3ObjectUrl('raw-mail-bucket', 'raw/abc', 'cn-north-1').href).toBe('https://raw-mail-bucket.s3.cn-north-1.amazonaws.com.cn/raw/abc');
  });

  it('encodes each key segment once, as SigV4 wants: space, +, unicode, reserved characters', () => {
    expect(s3ObjectUrl('b-1', 'raw/a b+c/ünï (1)*!~_-.eml', 'eu-west-1').pathname).toBe('/raw/a%20b%2Bc/%C3%BCn%C3%AF%20%281%29%2A%21~_-.eml');
    expect(s3ObjectUrl('b-1', 'a%2Fb?c#d&e=f', 'eu-west-1').pathname).toBe('/a%252Fb%3Fc%23d%26e%3Df');
    expect(s3ObjectUrl('b-1', 'a//b/', 'eu-west-1').pathname).toBe('/a//b/');
  });

  it('is path-style on a configured endpoint and for dotted bucket names', () => {
    expect(s3ObjectUrl('raw-mail-bucket', 'raw/x y', 'eu-west-1', 'http://127.0.0.1:4566').href).toBe('http://127.0.0.1:4566/raw-mail-bucket/raw/x%20y');
    expect(s3ObjectUrl('raw-mail-bucket', 'raw/x', 'eu-west-1', 'http://localhost:9000/s3/').href).toBe('http://localhost:9000/s3/raw-mail-bucket/raw/x');
    expect(s3ObjectUrl('mail.example.com', 'raw/x', 'eu-west-1').href).toBe('https://s3.eu-west-1.amazonaws.com/mail.example.com/raw/x');
  });

  it('refuses keys the URL parser would rewrite, and an empty key', () => {
    expect(() => s3ObjectUrl('b-1', 'raw/../secret', 'eu-west-1')).toThrow(/"\." or "\.\." segment/);
    expect(() => s3ObjectUrl('b-1', './x', 'eu-west-1')).toThrow(/segment/);
    expect(() => s3ObjectUrl('b-1', '', 'eu-west-1')).toThrow(/empty/);
    expect(s3ObjectUrl('b-1', 'raw/..x/.y', 'eu-west-1').pathname).toBe('/raw/..x/.y');
  });
});

describe('configuredS3Endpoint', () => {
  it('follows the SDK: the S3 variable before the general one, both ignorable', () => {
    expect(configuredS3Endpoint({})).toBeUndefined();
    expect(configuredS3Endpoint({ AWS_ENDPOINT_URL: 'http://a' })).toBe('http://a');
    expect(configuredS3Endpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://s3' })).toBe('http://s3');
    expect(configuredS3Endpoint({ AWS_ENDPOINT_URL_S3: 'http://s3', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
  });
});

describe('s3RawMailReader: the signed request', () => {
  it('signs a GET of the object with SigV4 for s3 in the region, payload unsigned', async () => {
    const f = fakeFetch(new Response('raw mail'));
    const read = s3RawMailReader('raw-mail-bucket', { region: 'eu-west-1', credentials: async () => creds, fetch: f.fn }, {});
    expect(new TextDecoder().decode(await read('raw/a b+ü'))).toBe('raw mail');
    const [call] = f.calls;
    expect(call!.url).toBe('https://raw-mail-bucket.s3.eu-west-1.amazonaws.com/raw/a%20b%2B%C3%BC');
    expect(call!.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(call!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(call!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    // fetch sends Host from the URL; the one signed must be the same.
    expect(call!.headers.host).toBeUndefined();
    const url = new URL(call!.url);
    expect(sigV4Error({ method: 'GET', path: url.pathname, headers: { ...call!.headers, host: url.host } }, secrets)).toBeUndefined();
  });

  it('signs the session token of temporary credentials (as in Lambda)', async () => {
    const f = fakeFetch(new Response('x'));
    const read = s3RawMailReader('b-1', { region: 'eu-west-1', credentials: async () => ({ ...creds, sessionToken: 'TOKEN/+=' }), fetch: f.fn }, {});
    await read('k');
    expect(f.calls[0]!.headers['x-amz-security-token']).toBe('TOKEN/+=');
    expect(f.calls[0]!.headers.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });

  it('takes the region and the endpoint from the environment', async () => {
    const f = fakeFetch(new Response('x'));
    await s3RawMailReader('b-1', { credentials: async () => creds, fetch: f.fn }, { AWS_REGION: 'us-east-2', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566' })('raw/k');
    expect(f.calls[0]!.url).toBe('http://127.0.0.1:4566/b-1/raw/k');
    expect(f.calls[0]!.headers.authorization).toContain('/us-east-2/s3/aws4_request');
    expect(() => s3RawMailReader('b-1', { credentials: async () => creds }, {})).toThrow(/AWS_REGION/);
  });
});

describe('s3RawMailReader: answers', () => {
  const reader = (f: ReturnType<typeof fakeFetch>) => s3RawMailReader('raw-mail-bucket', { region: 'eu-west-1', credentials: async () => creds, fetch: f.fn }, {});

  it('names the object and S3 error code on a refusal, without retrying it', async () => {
    const body = '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';
    const f = fakeFetch(new Response(body, { status: 404 }));
    await expect(reader(f)('raw/gone')).rejects.toThrow('S3 GetObject s3://raw-mail-bucket/raw/gone failed: HTTP 404 NoSuchKey: The specified key does not exist.');
    expect(f.calls).toHaveLength(1);
    const g = fakeFetch(new Response('', { status: 403 }));
    await expect(reader(g)('raw/x')).rejects.toThrow(/failed: HTTP 403$/);
  });

  it('retries 500, 503 and network errors, signing afresh, up to three attempts', async () => {
    const f = fakeFetch(new Response('<Error><Code>SlowDown</Code></Error>', { status: 503 }), new TypeError('fetch failed'), new Response('finally'));
    expect(new TextDecoder().decode(await reader(f)('raw/x'))).toBe('finally');
    expect(f.calls).toHaveLength(3);
    const g = fakeFetch(new Response('', { status: 500 }), new Response('', { status: 500 }), new Response('<Error><Code>InternalError</Code></Error>', { status: 500 }));
    await expect(reader(g)('raw/x')).rejects.toThrow(/HTTP 500 InternalError/);
    expect(g.calls).toHaveLength(3);
    const h = fakeFetch(new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed'));
    await expect(reader(h)('raw/x')).rejects.toThrow('S3 GetObject s3://raw-mail-bucket/raw/x: fetch failed');
  });

  it('returns an empty object as zero bytes', async () => {
    expect(await reader(fakeFetch(new Response(new Uint8Array(0))))('raw/x')).toEqual(new Uint8Array(0));
  });
});

describe('s3RawMailReader over HTTP against a signature-checking S3 stand-in', () => {
  let s3: Awaited<ReturnType<typeof startS3StandIn>>;
  beforeAll(async () => {
    s3 = await startS3StandIn(secrets);
  });
  afterAll(() => s3.close());

  it('reads the object byte for byte, whatever the key', async () => {
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff, 13, 10]);
    const key = 'raw/Mail from Zoë + “friends” (1)*!~.eml';
    s3.put('raw-mail-bucket', key, bytes);
    const read = s3RawMailReader('raw-mail-bucket', { region: 'eu-west-1', credentials: async () => creds, endpoint: s3.endpoint }, {});
    expect(await read(key)).toEqual(bytes);
    const seen = s3.requests.at(-1)!;
    expect(seen).toMatchObject({ method: 'GET', bucket: 'raw-mail-bucket', key, signatureError: undefined });
  });

  it('a wrong secret is refused by the stand-in as by S3', async () => {
    const read = s3RawMailReader('raw-mail-bucket', { region: 'eu-west-1', credentials: async () => ({ ...creds, secretAccessKey: 'wrong' }), endpoint: s3.endpoint }, {});
    await expect(read('raw/anything')).rejects.toThrow(/HTTP 403 SignatureDoesNotMatch/);
  });
});
