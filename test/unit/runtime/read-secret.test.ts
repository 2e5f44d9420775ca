import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsStub } from '../../../bench/bundle.js';
import { configuredSecretsManagerEndpoint, readSecretString, secretsManagerUrl } from '../../../src/runtime/aws/read-secret.js';
import { startSecretsManagerStandIn } from '../../support/secrets-manager-stand-in.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reply-token-AbCdEf';

// Every request goes over HTTP to a local Secrets Manager stand-in that checks its SigV4 signature.
let sm: Awaited<ReturnType<typeof startSecretsManagerStandIn>>;
beforeAll(async () => {
  sm = await startSecretsManagerStandIn({ [creds.accessKeyId]: creds.secretAccessKey }, 'eu-west-1');
  sm.put(ARN, { SecretString: '{"current":{"id":"2","secret":"s3cr3t"}}' });
  sm.put('arn:aws:secretsmanager:eu-west-1:123456789012:secret:binary-XyZ123', { SecretBinary: new Uint8Array([1, 2, 3]) });
});
afterAll(() => sm.close());
beforeEach(() => {
  sm.requests.length = 0;
});

const read = (id: string, over: { secretAccessKey?: string; sessionToken?: string; maxAttempts?: number; timeoutMs?: number } = {}) => {
  const { maxAttempts, timeoutMs, ...keys } = over;
  return readSecretString(id, { region: 'eu-west-1', credentials: async () => ({ ...creds, ...keys }), endpoint: sm.endpoint, maxAttempts, timeoutMs }, {});
};

describe('readSecretString: the signed request', () => {
  it('POSTs GetSecretValue as awsJson 1.1, signed for secretsmanager, x-amz-target among the signed headers', async () => {
    expect(await read(ARN)).toBe('{"current":{"id":"2","secret":"s3cr3t"}}');
    const [seen] = sm.requests;
    expect(seen).toMatchObject({ method: 'POST', path: '/', operation: 'GetSecretValue', secretId: ARN, signatureError: undefined });
    expect(JSON.parse(seen!.body.toString())).toEqual({ SecretId: ARN });
    expect(seen!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(seen!.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(seen!.headers['content-length']).toBe(String(seen!.body.byteLength));
    expect(seen!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it('reads a secret by name too', async () => {
    expect(await read('reply-token')).toBe('{"current":{"id":"2","secret":"s3cr3t"}}');
  });

  it('signs the session token of temporary credentials (as in Lambda)', async () => {
    await read(ARN, { sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+/=' });
    const [seen] = sm.requests;
    expect(seen!.headers['x-amz-security-token']).toBe('IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+/=');
    expect(seen!.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target,');
    expect(seen!.signatureError).toBeUndefined();
  });

  it('is answered by the bench stub the cold-start measurements use', async () => {
    const stub = await startAwsStub();
    try {
      expect(await readSecretString('arn:aws:secretsmanager:us-east-1:000000000000:secret:bench', { region: 'us-east-1', credentials: async () => creds }, { AWS_ENDPOINT_URL: stub.url })).toBe('k'.repeat(64));
    } finally {
      stub.server.close();
      stub.server.closeAllConnections();
    }
  });
});

describe('readSecretString: the endpoint', () => {
  it('is AWS’s regional endpoint unless the environment moves it, as the SDK reads it', () => {
    expect(secretsManagerUrl('eu-west-1').href).toBe('https://secretsmanager.eu-west-1.amazonaws.com/');
    expect(secretsManagerUrl('cn-north-1').href).toBe('https://secretsmanager.cn-north-1.amazonaws.com.cn/');
    expect(secretsManagerUrl('eu-west-1', 'http://127.0.0.1:4566').href).toBe('http://127.0.0.1:4566/');
    expect(configuredSecretsManagerEndpoint({})).toBeUndefined();
    expect(configuredSecretsManagerEndpoint({ AWS_ENDPOINT_URL: 'http://a' })).toBe('http://a');
    expect(configuredSecretsManagerEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm' })).toBe('http://sm');
    expect(configuredSecretsManagerEndpoint({ AWS_ENDPOINT_URL_S3: 'http://s3' })).toBeUndefined();
    expect(configuredSecretsManagerEndpoint({ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
  });

  it('takes the region and the endpoint from the environment', async () => {
    const other = await startSecretsManagerStandIn({ [creds.accessKeyId]: creds.secretAccessKey });
    other.put(ARN, { SecretString: 'from-general' });
    try {
      expect(await readSecretString(ARN, { credentials: async () => creds }, { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint, AWS_ENDPOINT_URL: other.endpoint })).toContain('s3cr3t');
      expect(await readSecretString(ARN, { credentials: async () => creds }, { AWS_DEFAULT_REGION: 'eu-central-1', AWS_ENDPOINT_URL: other.endpoint })).toBe('from-general');
    } finally {
      await other.close();
    }
    expect(sm.requests.map((r) => r.signatureError)).toEqual([undefined]);
    expect(other.requests[0]!.headers.authorization).toContain('/eu-central-1/secretsmanager/aws4_request');
    expect(other.requests[0]!.signatureError).toBeUndefined();
    // Signed for the environment's region: this stand-in expects eu-west-1, as AWS's regional endpoint would.
    await expect(readSecretString(ARN, { credentials: async () => creds }, { AWS_REGION: 'us-east-2', AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint })).rejects.toThrow(/HTTP 403 InvalidSignatureException/);
    expect(sm.requests[1]!.signatureError).toBe('signed for region us-east-2, not eu-west-1');
    await expect(readSecretString(ARN, { credentials: async () => creds }, {})).rejects.toThrow(/AWS_REGION/);
  });
});

describe('readSecretString: answers', () => {
  it('names the secret, the error type and the message on a refusal, without retrying it', async () => {
    await expect(read('arn:aws:secretsmanager:eu-west-1:123456789012:secret:nope-AbCdEf')).rejects.toThrow(
      "Secrets Manager GetSecretValue arn:aws:secretsmanager:eu-west-1:123456789012:secret:nope-AbCdEf failed: HTTP 400 ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    expect(sm.requests).toHaveLength(1);
    sm.failNext({ status: 400, contentType: 'application/x-amz-json-1.1', body: '{"__type":"com.amazonaws.secretsmanager#DecryptionFailure","Message":"KMS says no"}' });
    await expect(read(ARN)).rejects.toThrow(`Secrets Manager GetSecretValue ${ARN} failed: HTTP 400 DecryptionFailure: KMS says no`);
    expect(sm.requests).toHaveLength(2);
  });

  it('a wrong secret key is refused by the stand-in as by AWS', async () => {
    await expect(read(ARN, { secretAccessKey: 'wrong' })).rejects.toThrow(/failed: HTTP 403 InvalidSignatureException: The request signature we calculated/);
    expect(sm.requests[0]!.signatureError).toMatch(/signature mismatch/);
  });

  it('a binary secret is an error that says so', async () => {
    await expect(read('binary')).rejects.toThrow('Secrets Manager GetSecretValue binary: no SecretString, it is a binary secret (SecretBinary); only string secrets are supported');
  });

  it('retries 500, 503, throttling and network errors, signing afresh, up to three attempts', async () => {
    sm.failNext({ status: 503 }, 'drop');
    expect(await read(ARN)).toContain('s3cr3t');
    expect(sm.requests.map((r) => r.signatureError)).toEqual([undefined, undefined, undefined]);

    sm.requests.length = 0;
    sm.failNext({ status: 400, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}' }, { status: 500, body: '{"__type":"InternalServiceError","message":"oops"}' });
    expect(await read(ARN)).toContain('s3cr3t');
    expect(sm.requests).toHaveLength(3);

    sm.requests.length = 0;
    sm.failNext({ status: 500 }, { status: 500 }, { status: 500, body: '{"__type":"InternalServiceError","message":"still down"}' });
    await expect(read(ARN)).rejects.toThrow(`Secrets Manager GetSecretValue ${ARN} failed: HTTP 500 InternalServiceError: still down`);
    expect(sm.requests).toHaveLength(3);

    sm.requests.length = 0;
    sm.failNext('drop', 'drop', 'drop');
    await expect(read(ARN)).rejects.toThrow(new RegExp(`^Secrets Manager GetSecretValue ${ARN}: (socket hang up|read ECONNRESET)`));
    expect(sm.requests).toHaveLength(3);
  });

  it('gives up on a silent server after the timeout, each attempt', async () => {
    sm.failNext('hang', 'hang');
    await expect(read(ARN, { maxAttempts: 2, timeoutMs: 150 })).rejects.toThrow(`Secrets Manager GetSecretValue ${ARN}: POST ${sm.endpoint}: timed out after 150 ms without an answer`);
    expect(sm.requests).toHaveLength(2);
  });

  it('a refused connection is an error naming the secret', async () => {
    await expect(readSecretString(ARN, { region: 'eu-west-1', credentials: async () => creds, endpoint: 'http://127.0.0.1:1', maxAttempts: 1 }, {})).rejects.toThrow(`Secrets Manager GetSecretValue ${ARN}: connect ECONNREFUSED 127.0.0.1:1`);
  });
});
