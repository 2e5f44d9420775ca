/**
 * A local Secrets Manager stand-in for GetSecretValue (awsJson 1.1: `POST /`, `X-Amz-Target`), checking each
 * request's SigV4 signature with `sigv4.ts` (service `secretsmanager`, every `x-amz-*` header signed), and
 * answering with the JSON bodies and error shapes AWS uses.
 */
import type { ServerResponse } from 'node:http';
import { startSigV4Server, type RecordedRequest } from './sigv4.js';

export interface SecretsManagerStandInRequest extends RecordedRequest {
  /** `GetSecretValue`, …, from `X-Amz-Target: secretsmanager.<Operation>`. */
  operation?: string;
  /** The SecretId asked for, when the body was JSON. */
  secretId?: string;
}

export type StoredSecret = { SecretString: string } | { SecretBinary: Uint8Array };

function jsonAnswer(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() });
  res.end(JSON.stringify(body));
}

const jsonError = (res: ServerResponse, status: number, type: string, message: string) => jsonAnswer(res, status, { __type: type, message });

/** Starts the stand-in on a free local port; `put` stores a secret under its name and its ARN. */
export async function startSecretsManagerStandIn(secrets: Record<string, string> = { test: 'test' }, region?: string) {
  const stored = new Map<string, StoredSecret & { arn: string; name: string }>();
  const server = await startSigV4Server<SecretsManagerStandInRequest>({
    secrets,
    expect: { service: 'secretsmanager', region, requiredHeaders: ['x-amz-target'] },
    describe: (req) => {
      const target = req.headers['x-amz-target'] ?? '';
      let secretId: string | undefined;
      try {
        secretId = (JSON.parse(req.body.toString('utf8')) as { SecretId?: string }).SecretId;
      } catch {
        /* not JSON */
      }
      return { ...req, operation: target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : undefined, secretId };
    },
    refuse: (res) =>
      jsonError(res, 403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'),
    answer: (res, req) => {
      if (req.method !== 'POST' || req.path !== '/') return jsonError(res, 404, 'UnknownOperationException', `${req.method} ${req.path}`);
      if (req.operation !== 'GetSecretValue') return jsonError(res, 400, 'UnknownOperationException', `unknown operation ${req.headers['x-amz-target']}`);
      if (!req.headers['content-type']?.startsWith('application/x-amz-json-1.1')) return jsonError(res, 400, 'SerializationException', `content-type ${req.headers['content-type']}`);
      if (!req.secretId) return jsonError(res, 400, 'ValidationException', 'SecretId is required');
      const secret = stored.get(req.secretId);
      if (!secret) return jsonError(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const value = 'SecretString' in secret ? { SecretString: secret.SecretString } : { SecretBinary: Buffer.from(secret.SecretBinary).toString('base64') };
      jsonAnswer(res, 200, { ARN: secret.arn, Name: secret.name, VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', ...value, VersionStages: ['AWSCURRENT'], CreatedDate: 1_700_000_000 });
    },
  });
  return {
    ...server,
    put: (arn: string, value: StoredSecret) => {
      const name = arn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, '') ?? arn;
      const entry = { ...value, arn, name };
      stored.set(arn, entry);
      stored.set(name, entry);
    },
  };
}
