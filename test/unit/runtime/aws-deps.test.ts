import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaLikeEnv } from '../../../bench/bundle.js';
import { buildAwsDeps, onFirstSend } from '../../../src/runtime/aws/aws-deps.js';
import { startSecretsManagerStandIn } from '../../support/secrets-manager-stand-in.js';

describe('buildAwsDeps: the reply-token secret', () => {
  let sm: Awaited<ReturnType<typeof startSecretsManagerStandIn>>;
  const env = (): Record<string, string | undefined> => ({ ...lambdaLikeEnv('http://127.0.0.1:9'), AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint });
  const ARN = lambdaLikeEnv('http://127.0.0.1:9').REPLY_TOKEN_SECRET_ARN!;
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  beforeAll(async () => {
    sm = await startSecretsManagerStandIn({ [credentials.accessKeyId]: credentials.secretAccessKey });
  });
  afterAll(() => sm.close());

  it('reads the secret named by REPLY_TOKEN_SECRET_ARN through the injected reader', async () => {
    const asked: string[] = [];
    const deps = await buildAwsDeps(env(), { readSecret: async (id) => (asked.push(id), '{"current":{"id":"7","secret":"rotated"},"previous":{"id":"6","secret":"old"}}') });
    expect(asked).toEqual([ARN]);
    expect(deps.config.replyKeys).toEqual({ current: { id: '7', secret: 'rotated' }, previous: { id: '6', secret: 'old' } });
    expect(deps.config.sessionSecret).toBe('rotated:session');
  });

  it('refuses an empty secret, and passes a reader’s error on', async () => {
    await expect(buildAwsDeps(env(), { readSecret: async () => '' })).rejects.toThrow('The reply-token secret is empty');
    await expect(buildAwsDeps(env(), { readSecret: async () => Promise.reject(new Error('denied')) })).rejects.toThrow('denied');
  });

  it('by default reads it with a signed GetSecretValue at the endpoint of the env it was given', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
    // The credential chain reads process.env, as the SDK clients' chains do.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
    try {
      sm.put(ARN, { SecretString: 'plain-deploy-time-secret-0123456789' });
      const deps = await buildAwsDeps(env());
      expect(deps.config.replyKeys).toEqual({ current: { id: '1', secret: 'plain-deploy-time-secret-0123456789' } });
      expect(sm.requests).toMatchObject([{ operation: 'GetSecretValue', secretId: ARN, signatureError: undefined }]);
    } finally {
      for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('onFirstSend', () => {
  it('makes the client on the first send only, then reuses it', async () => {
    let made = 0;
    const sent: string[] = [];
    const client = onFirstSend(() => {
      made += 1;
      return { send: async (command: string) => (sent.push(command), `ok ${command}`) };
    });
    expect(made).toBe(0);
    await expect(client.send('a')).resolves.toBe('ok a');
    await expect(client.send('b')).resolves.toBe('ok b');
    expect(made).toBe(1);
    expect(sent).toEqual(['a', 'b']);
  });
});
