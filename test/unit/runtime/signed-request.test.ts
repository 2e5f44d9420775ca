import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsErrorCode, awsErrorMessage, awsRequest, configuredEndpoint, describeAwsError, type AwsResponse } from '../../../src/runtime/aws/signed-request.js';
import { startSigV4Server, type RecordedRequest } from '../../support/sigv4.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

// A signature-checking server that echoes what it got.
let server: Awaited<ReturnType<typeof startSigV4Server<RecordedRequest>>>;
beforeAll(async () => {
  server = await startSigV4Server({
    secrets: { [creds.accessKeyId]: creds.secretAccessKey },
    expect: { service: 'example', region: 'eu-west-1' },
    describe: (req) => req,
    refuse: (res, req) => {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/' });
      res.end(JSON.stringify({ message: req.signatureError }));
    },
    answer: (res, req) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-echo-method': req.method });
      res.end(req.body);
    },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const call = (over: Partial<Parameters<typeof awsRequest>[0]> = {}) =>
  awsRequest({ service: 'example', region: 'eu-west-1', method: 'POST', url: new URL(`${server.endpoint}/a b/c?z=1&a=2&a=1`), credentials: async () => creds, ...over });

describe('awsRequest', () => {
  it('signs method, path, query, body and given headers; answers status, headers and body bytes', async () => {
    const body = new Uint8Array([0, 0xff, 10, 13, 0x80]);
    const res = await call({ headers: { 'content-type': 'application/octet-stream', 'x-amz-meta-note': 'Zoë' }, body });
    expect(res.status).toBe(200);
    expect(res.headers['x-echo-method']).toBe('POST');
    expect(res.body).toEqual(body);
    expect(res.body.constructor).toBe(Uint8Array);
    const [seen] = server.requests;
    expect(seen!.signatureError).toBeUndefined();
    // The SDK's handler writes the query from its parsed form: names sorted, repeated values in order.
    expect(seen!.path).toBe('/a%20b/c?a=2&a=1&z=1');
    expect(seen!.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note,');
  });

  it('sends a string body as UTF-8 with its length, and no body at all when there is none', async () => {
    expect(Buffer.from((await call({ body: '{"é":1}' })).body).toString()).toBe('{"é":1}');
    expect(server.requests[0]!.headers['content-length']).toBe('8');
    expect((await call({ method: 'GET' })).body).toEqual(new Uint8Array(0));
    expect(server.requests[1]!.headers['content-length']).toBeUndefined();
    expect(server.requests.map((r) => r.signatureError)).toEqual([undefined, undefined]);
  });

  it('answers an error status as it came (only network errors throw)', async () => {
    const res = await call({ credentials: async () => ({ ...creds, secretAccessKey: 'wrong' }) });
    expect(res.status).toBe(403);
    expect(awsErrorCode(res)).toBe('InvalidSignatureException');
    expect(awsErrorMessage(res)).toMatch(/^signature mismatch/);
  });

  it('retries throttling (400 or 429 with a throttling code) but no other 400', async () => {
    server.failNext({ status: 400, body: '{"__type":"com.amazonaws.example#ThrottlingException"}' }, { status: 429, body: '{"__type":"TooManyRequestsException"}' });
    expect((await call()).status).toBe(200);
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    server.failNext({ status: 400, body: '{"__type":"ValidationException","message":"no"}' });
    const res = await call();
    expect([res.status, describeAwsError(res)]).toEqual([400, 'HTTP 400 ValidationException: no']);
    expect(server.requests).toHaveLength(1);
  });

  it('stops at maxAttempts, answering the last error', async () => {
    server.failNext({ status: 503 }, { status: 503 });
    expect((await call({ maxAttempts: 2 })).status).toBe(503);
    expect(server.requests).toHaveLength(2);
    server.failNext('drop');
    await expect(call({ maxAttempts: 1 })).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('refuses a protocol other than http and https', async () => {
    await expect(call({ url: new URL('ftp://example.com/x'), maxAttempts: 1 })).rejects.toThrow('Unsupported protocol ftp:');
  });
});

describe('AWS error answers', () => {
  const answer = (status: number, body: string, headers: AwsResponse['headers'] = {}): AwsResponse => ({ status, headers, body: new Uint8Array(Buffer.from(body)) });

  it('reads the code and message from JSON, XML or the x-amzn-errortype header', () => {
    expect(describeAwsError(answer(400, '{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"gone"}'))).toBe('HTTP 400 ResourceNotFoundException: gone');
    expect(describeAwsError(answer(404, '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>'))).toBe('HTTP 404 NoSuchKey: The specified key does not exist.');
    expect(describeAwsError(answer(403, '{}', { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/' }))).toBe('HTTP 403 AccessDeniedException');
    expect(describeAwsError(answer(502, '<html>Bad gateway</html>'))).toBe('HTTP 502');
    expect(describeAwsError(answer(500, ''))).toBe('HTTP 500');
  });
});

describe('configuredEndpoint', () => {
  it('follows the SDK: the service variable before the general one, both ignorable', () => {
    expect(configuredEndpoint({}, 'SECRETS_MANAGER')).toBeUndefined();
    expect(configuredEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://s3' }, 'SECRETS_MANAGER')).toBe('http://a');
    expect(configuredEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://s3' }, 'S3')).toBe('http://s3');
    expect(configuredEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'S3')).toBeUndefined();
  });
});
