import { awsCall, awsDomain, callRegion, configuredEndpoint, type AwsCallOptions } from './signed-request.js';
import type { RawMailReader } from './inbound-handler.js';

/**
 * S3 GetObject without the S3 client (~120 KiB of bundle for this one call): a GET signed with SigV4 by the
 * signer and credential chain the other AWS clients already bundle (`awsRequest`). Only what this function
 * needs: no ranges, no SSE-C, no flexible-checksum validation (TLS guards the transfer), no FIPS or dual-stack
 * endpoints.
 */
export function s3RawMailReader(bucket: string, options: AwsCallOptions = {}, env: Record<string, string | undefined> = process.env): RawMailReader {
  const region = callRegion(options, env, 'Reading raw mail from S3');
  const endpoint = options.endpoint ?? configuredS3Endpoint(env);

  // async, so a bad key rejects like a failed read rather than throwing where the reader is called.
  return async (key) =>
    awsCall(`S3 GetObject s3://${bucket}/${key}`, {
      service: 's3',
      region,
      method: 'GET',
      url: s3ObjectUrl(bucket, key, region, endpoint),
      // S3 signs the path as sent, and takes an unsigned payload (a GET has none).
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      uriEscapePath: false,
      applyChecksum: false,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      timeoutMs: options.timeoutMs,
    });
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
