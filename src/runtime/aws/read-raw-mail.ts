import { awsDomain, awsRequest, configuredEndpoint, describeAwsError, type AwsCredentials } from './signed-request.js';
import type { RawMailReader } from './inbound-handler.js';

export interface S3ReadOptions {
  /** Defaults to AWS_REGION (set in every Lambda). */
  region?: string;
  /** Defaults to the SDK's chain (in Lambda: the function role's keys from the environment). */
  credentials?: AwsCredentials;
  /** Where the environment sends S3 instead of AWS (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL), addressed path-style. */
  endpoint?: string;
  /** Attempts on a network error, a timeout, a 5xx or throttling (the SDK's default is 3). */
  maxAttempts?: number;
  /** How long the connection may stay silent before an attempt fails. */
  timeoutMs?: number;
}

/**
 * S3 GetObject without the S3 client (~120 KiB of bundle for this one call): a GET signed with SigV4 by the
 * signer and credential chain the other AWS clients already bundle (`awsRequest`). Only what this function
 * needs: no ranges, no SSE-C, no flexible-checksum validation (TLS guards the transfer), no FIPS or dual-stack
 * endpoints.
 */
export function s3RawMailReader(bucket: string, options: S3ReadOptions = {}, env: Record<string, string | undefined> = process.env): RawMailReader {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Reading raw mail from S3 needs a region (AWS_REGION)');
  const endpoint = options.endpoint ?? configuredS3Endpoint(env);

  return async (key) => {
    const url = s3ObjectUrl(bucket, key, region, endpoint);
    let res;
    try {
      res = await awsRequest({
        service: 's3',
        region,
        method: 'GET',
        url,
        // S3 signs the path as sent, and takes an unsigned payload (a GET has none).
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        uriEscapePath: false,
        applyChecksum: false,
        credentials: options.credentials,
        maxAttempts: options.maxAttempts,
        timeoutMs: options.timeoutMs,
      });
    } catch (error) {
      throw new Error(`S3 GetObject s3://${bucket}/${key}: ${(error as Error).message}`, { cause: error });
    }
    if (res.status === 200) return res.body;
    throw new Error(`S3 GetObject s3://${bucket}/${key} failed: ${describeAwsError(res)}`);
  };
}

/** The endpoint the SDK would use instead of AWS's, from the same environment variables. */
export function configuredS3Endpoint(env: Record<string, string | undefined>): string | undefined {
  return configuredEndpoint(env, 'S3');
}

/**
 * The object's URL: virtual-hosted (`https://bucket.s3.region.amazonaws.com/key`) on AWS, path-style on a
 * configured endpoint and for bucket names a wildcard certificate cannot cover (dots). Each key segment is
 * percent-encoded as SigV4 wants (RFC 3986 unreserved characters kept; `+`, space, `!*'()` and non-ASCII encoded).
 */
export function s3ObjectUrl(bucket: string, key: string, region: string, endpoint?: string): URL {
  if (!key) throw new Error('S3 object key is empty');
  const segments = key.split('/');
  // The URL parser would resolve these (encoded or not), so the request would name another object.
  if (segments.some((s) => s === '.' || s === '..')) throw new Error(`S3 object key has a "." or ".." segment: ${key}`);
  const path = segments.map(encodeSegment).join('/');
  if (endpoint) {
    const base = new URL(endpoint);
    return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/${encodeSegment(bucket)}/${path}`);
  }
  const domain = awsDomain(region);
  if (/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) return new URL(`https://${bucket}.s3.${region}.${domain}/${path}`);
  return new URL(`https://s3.${region}.${domain}/${encodeSegment(bucket)}/${path}`);
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
