import { awsCall, awsDomain, callRegion, configuredEndpoint, type AwsCallOptions } from './signed-request.js';

/**
 * Secrets Manager GetSecretValue (the current version) without the Secrets Manager client: one signed
 * `application/x-amz-json-1.1` POST (`awsRequest`). Only string secrets; a binary one is an error.
 */
export async function readSecretString(secretId: string, options: AwsCallOptions = {}, env: Record<string, string | undefined> = process.env): Promise<string> {
  const region = callRegion(options, env, 'Reading a secret from Secrets Manager');
  const call = `Secrets Manager GetSecretValue ${secretId}`;
  const body = await awsCall(call, {
    service: 'secretsmanager',
    region,
    method: 'POST',
    url: secretsManagerUrl(region, options.endpoint ?? configuredSecretsManagerEndpoint(env)),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body: JSON.stringify({ SecretId: secretId }),
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    timeoutMs: options.timeoutMs,
  });
  let answer: { SecretString?: unknown; SecretBinary?: unknown };
  try {
    answer = JSON.parse(Buffer.from(body).toString('utf8')) as typeof answer;
  } catch {
    throw new Error(`${call}: the answer is not JSON`);
  }
  if (typeof answer?.SecretString === 'string') return answer.SecretString;
  const what = answer?.SecretBinary !== undefined ? 'it is a binary secret (SecretBinary)' : 'the answer has neither SecretString nor SecretBinary';
  throw new Error(`${call}: no SecretString, ${what}; only string secrets are supported`);
}

/** The endpoint the SDK would use instead of AWS's, from the same environment variables. */
export function configuredSecretsManagerEndpoint(env: Record<string, string | undefined>): string | undefined {
  return configuredEndpoint(env, 'SECRETS_MANAGER');
}

/** `https://secretsmanager.<region>.amazonaws.com/` on AWS, else the configured endpoint (its path kept). */
export function secretsManagerUrl(region: string, endpoint?: string): URL {
  if (endpoint) return new URL(endpoint);
  return new URL(`https://secretsmanager.${region}.${awsDomain(region)}/`);
}
