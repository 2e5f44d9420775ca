import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RawMailReader } from './inbound-handler.js';

type Credentials = ReturnType<typeof defaultProvider>;

export interface S3ReadOptions {
  /** Defaults to AWS_REGION (set in every Lambda). */
  region?: string;
  /** Defaults to the SDK's chain (in Lambda: the function role's keys from the environment). */
  credentials?: Credentials;
  /** Where the environment sends S3 instead of AWS (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL), addressed path-style. */
  endpoint?: string;
  fetch?: typeof fetch;
  /** Attempts on a network error, 500 or 503 (the SDK's default is 3). */
  maxAttempts?: number;
}

/**
 * S3 GetObject without the S3 client (~120 KiB of bundle for this one call): a GET signed with SigV4 by the
 * signer and credential chain the other AWS clients already bundle. Only what this function needs: no ranges,
 * no SSE-C, no flexible-checksum validation (TLS guards the transfer), no FIPS or dual-stack endpoints.
 */
export function s3RawMailReader(bucket: string, options: S3ReadOptions = {}, env: Record<string, string | undefined> = process.env): RawMailReader {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Reading raw mail from S3 needs a region (AWS_REGION)');
  const endpoint = options.endpoint ?? configuredS3Endpoint(env);
  const signer = new SignatureV4({ service: 's3', region, credentials: options.credentials ?? defaultProvider(), sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 3;

  return async (key) => {
    for (let attempt = 1; ; attempt++) {
      // Signed afresh each attempt: the signature carries the time.
      const request = await signedGetObject(signer, s3ObjectUrl(bucket, key, region, endpoint));
      let res: Response;
      try {
        res = await doFetch(request.url, { method: 'GET', headers: request.headers });
      } catch (error) {
        if (attempt < maxAttempts) {
          await pause(attempt);
          continue;
        }
        throw new Error(`S3 GetObject s3://${bucket}/${key}: ${(error as Error).message}`, { cause: error });
      }
      if (res.status === 200) return new Uint8Array(await res.arrayBuffer());
      const body = await res.text().catch(() => '');
      if ((res.status === 500 || res.status === 503) && attempt < maxAttempts) {
        await pause(attempt);
        continue;
      }
      const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
      const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
      throw new Error(`S3 GetObject s3://${bucket}/${key} failed: HTTP ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
    }
  };
}

/** The endpoint the SDK would use instead of AWS's, from the same environment variables. */
export function configuredS3Endpoint(env: Record<string, string | undefined>): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * The object's URL: virtual-hosted (`https://bucket.s3.region.amazonaws.com/key`) on AWS, path-style on a
 * configured endpoint and for bucket names a wildcard certificate cannot cover (dots). Each key segment is
 * percent-encoded as SigV4 wants (RFC 3986 unreserved characters kept; `+`, space, `!*'()` and non-ASCII encoded).
 */
export function s3ObjectUrl(bucket: string, key: string, region: string, endpoint?: string): URL {
  if (!key) throw new Error('S3 object key is empty');
  const segments = key.split('/');
  // fetch's URL parser would resolve these (encoded or not), so the request would name another object.
  if (segments.some((s) => s === '.' || s === '..')) throw new Error(`S3 object key has a "." or ".." segment: ${key}`);
  const path = segments.map(encodeSegment).join('/');
  if (endpoint) {
    const base = new URL(endpoint);
    return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/${encodeSegment(bucket)}/${path}`);
  }
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) return new URL(`https://${bucket}.s3.${region}.${domain}/${path}`);
  return new URL(`https://s3.${region}.${domain}/${encodeSegment(bucket)}/${path}`);
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The headers of a SigV4-signed GET of the URL (host signed; fetch sends it from the URL). */
export async function signedGetObject(signer: SignatureV4, url: URL): Promise<{ url: string; headers: Record<string, string> }> {
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  const { host: _host, ...headers } = signed.headers;
  return { url: url.href, headers };
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
