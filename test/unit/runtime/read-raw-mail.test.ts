import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configuredS3Endpoint, s3ObjectUrl, s3RawMailReader } from '../../../src/runtime/aws/read-raw-mail.js';
import { startS3StandIn } from '../../support/s3-stand-in.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const secrets = { [creds.accessKeyId]: creds.secretAccessKey };

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

// Every request goes over HTTP to a local S3 stand-in that checks its SigV4 signature as S3 does.
let s3: Awaited<ReturnType<typeof startS3StandIn>>;
beforeAll(async () => {
  s3 = await startS3StandIn(secrets);
});
afterAll(() => s3.close());
beforeEach(() => {
  s3.requests.length = 0;
});

describe('s3RawMailReader: the signed request', () => {
  it('signs a GET of the object with SigV4 for s3 in the region, payload unsigned', async () => {
    s3.put('raw-mail-bucket', 'raw/a b+ü', 'raw mail');
    const read = s3RawMailReader('raw-mail-bucket', { region: 'eu-west-1', credentials: async () => creds, endpoint: s3.endpoint }, {});
    expect(new TextDecoder().decode(await read('raw/a b+ü'))).toBe('raw mail');
    const [seen] = s3.requests;
    expect(seen).toMatchObject({ method: 'GET', path: '/raw-mail-bucket/raw/a%20b%2B%C3%BC', bucket: 'raw-mail-bucket', key: 'raw/a b+ü', signatureError: undefined });
    expect(seen!.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(seen!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(seen!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    // The Host signed is the one sent.
    expect(seen!.headers.host).toBe(new URL(s3.endpoint).host);
  });

  it('signs the session token of temporary credentials (as in Lambda)', async () => {
    s3.put('b-1', 'k', 'x');
    const read = s3RawMailReader('b-1', { region: 'eu-west-1', credentials: async () => ({ ...creds, sessionToken: 'TOKEN/+=' }), endpoint: s3.endpoint }, {});
    await read('k');
    const [seen] = s3.requests;
    expect(seen!.headers['x-amz-security-token']).toBe('TOKEN/+=');
    expect(seen!.headers.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
    expect(seen!.signatureError).toBeUndefined();
  });

  it('takes the region and the endpoint from the environment', async () => {
    s3.put('b-1', 'raw/k', 'x');
    await s3RawMailReader('b-1', { credentials: async () => creds }, { AWS_REGION: 'us-east-2', AWS_ENDPOINT_URL_S3: s3.endpoint })('raw/k');
    await s3RawMailReader('b-1', { credentials: async () => creds }, { AWS_DEFAULT_REGION: 'eu-central-1', AWS_ENDPOINT_URL: s3.endpoint })('raw/k');
    expect(s3.requests.map((r) => [r.path, r.signatureError])).toEqual([
      ['/b-1/raw/k', undefined],
      ['/b-1/raw/k', undefined],
    ]);
    expect(s3.requests[0]!.headers.authorization).toContain('/us-east-2/s3/aws4_request');
    expect(s3.requests[1]!.headers.authorization).toContain('/eu-central-1/s3/aws4_request');
    expect(() => s3RawMailReader('b-1', { credentials: async () => creds }, {})).toThrow(/AWS_REGION/);
  });
});

describe('s3RawMailReader: answers', () => {
  const reader = (over: { secretAccessKey?: string; maxAttempts?: number; timeoutMs?: number } = {}) =>
    s3RawMailReader('raw-mail-bucket', { region: 'eu-west-1', credentials: async () => ({ ...creds, ...(over.secretAccessKey ? { secretAccessKey: over.secretAccessKey } : {}) }), endpoint: s3.endpoint, maxAttempts: over.maxAttempts, timeoutMs: over.timeoutMs }, {});

  it('reads the object byte for byte, whatever the key', async () => {
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff, 13, 10]);
    const key = 'raw/Mail from Zoë + “friends” (1)*!~.eml';
    s3.put('raw-mail-bucket', key, bytes);
    expect(await reader()(key)).toEqual(bytes);
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', bucket: 'raw-mail-bucket', key, signatureError: undefined });
  });

  it('names the object and S3 error code on a refusal, without retrying it', async () => {
    await expect(reader()('raw/gone')).rejects.toThrow('S3 GetObject s3://raw-mail-bucket/raw/gone failed: HTTP 404 NoSuchKey: The specified key does not exist.');
    expect(s3.requests).toHaveLength(1);
    s3.failNext({ status: 403 });
    await expect(reader()('raw/x')).rejects.toThrow(/failed: HTTP 403$/);
    expect(s3.requests).toHaveLength(2);
  });

  it('a wrong secret is refused by the stand-in as by S3', async () => {
    await expect(reader({ secretAccessKey: 'wrong' })('raw/anything')).rejects.toThrow(/HTTP 403 SignatureDoesNotMatch/);
    expect(s3.requests[0]!.signatureError).toMatch(/signature mismatch/);
  });

  it('retries 500, 503 and network errors, signing afresh, up to three attempts', async () => {
    s3.put('raw-mail-bucket', 'raw/x', 'finally');
    s3.failNext({ status: 503, body: '<Error><Code>SlowDown</Code></Error>' }, 'drop');
    expect(new TextDecoder().decode(await reader()('raw/x'))).toBe('finally');
    expect(s3.requests.map((r) => r.signatureError)).toEqual([undefined, undefined, undefined]);

    s3.requests.length = 0;
    s3.failNext({ status: 500 }, { status: 500 }, { status: 500, body: '<Error><Code>InternalError</Code></Error>' });
    await expect(reader()('raw/x')).rejects.toThrow(/HTTP 500 InternalError/);
    expect(s3.requests).toHaveLength(3);

    s3.requests.length = 0;
    s3.failNext('drop', 'drop', 'drop');
    await expect(reader()('raw/x')).rejects.toThrow(/^S3 GetObject s3:\/\/raw-mail-bucket\/raw\/x: (socket hang up|read ECONNRESET)/);
    expect(s3.requests).toHaveLength(3);
  });

  it('gives up on a silent server after the timeout, each attempt', async () => {
    s3.failNext('hang', 'hang');
    await expect(reader({ maxAttempts: 2, timeoutMs: 150 })('raw/x')).rejects.toThrow('S3 GetObject s3://raw-mail-bucket/raw/x: GET http://127.0.0.1');
    expect(s3.requests).toHaveLength(2);
    s3.failNext('hang');
    await expect(reader({ maxAttempts: 1, timeoutMs: 150 })('raw/x')).rejects.toThrow(/timed out after 150 ms/);
  });

  it('returns an empty object as zero bytes', async () => {
    s3.put('raw-mail-bucket', 'raw/empty', new Uint8Array(0));
    expect(await reader()('raw/empty')).toEqual(new Uint8Array(0));
  });
});
