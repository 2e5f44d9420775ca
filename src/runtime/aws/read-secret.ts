import { awsDomain, awsRequest, configuredEndpoint, describeAwsError, type AwsCredentials } from './signed-request.js';

export interface SecretReadOptions {
  /** Defaults to AWS_REGION (set in every Lambda). */
  region?: string;
  /** Defaults to the SDK's chain (in Lambda: the function role's keys from the environment). */
  credentials?: AwsCredentials;
  /** Where the environment sends Secrets Manager instead of AWS (AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** Attempts on a network error, a timeout, a 5xx or throttling (the SDK's default is 3). */
  maxAttempts?: number;
  /** How long the connection may stay silent before an attempt fails. */
  timeoutMs?: number;
}

/**
 * Secrets Manager GetSecretValue (the current version) without the Secrets Manager client: one signed
 * `application/x-amz-json-1.1` POST (`awsRequest`). Only string secrets; a binary one is an error.
 */
export async function readSecretString(secretId: string, options: SecretReadOptions = {}, env: Record<string, string | undefined> = process.env): Promise<string> {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Reading a secret from Secrets Manager needs a region (AWS_REGION)');
  const url = secretsManagerUrl(region, options.endpoint ?? configuredSecretsManagerEndpoint(env));
  let res;
  try {
    res = await awsRequest({
      service: 'secretsmanager',
      region,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: secretId }),
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      timeoutMs: options.timeoutMs,
    });
  } catch (error) {
    throw new Error(`Secrets Manager GetSecretValue ${secretId}: ${(error as Error).message}`, { cause: error });
  }
  if (res.status !== 200) throw new Error(`Secrets Manager GetSecretValue ${secretId} failed: ${describeAwsError(res)}`);
  let answer: { SecretString?: unknown; SecretBinary?: unknown };
  try {
    answer = JSON.parse(Buffer.from(res.body).toString('utf8')) as typeof answer;
  } catch {
    throw new Error(`Secrets Manager GetSecretValue ${secretId}: the answer is not JSON`);
  }
  if (typeof answer?.SecretString === 'string') return answer.SecretString;
  const what = answer?.SecretBinary !== undefined ? 'it is a binary secret (SecretBinary)' : 'the answer has neither SecretString nor SecretBinary';
  throw new Error(`Secrets Manager GetSecretValue ${secretId}: no SecretString, ${what}; only string secrets are supported`);
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
