import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A credential source as the SDK's chain gives one (in Lambda: the function role's keys from the environment). */
export type AwsCredentials = ReturnType<typeof defaultProvider>;

export interface AwsRequest {
  /** The signing name: `s3`, `secretsmanager`, … */
  service: string;
  region: string;
  method: string;
  url: URL;
  /** Sent and signed as given (lower-case names); `host` and the `x-amz-*` signing headers are added. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Defaults to the SDK's credential chain, made once for the module. */
  credentials?: AwsCredentials;
  /** Attempts on a network error, a timeout, 500/502/503/504 or throttling (the SDK's default is 3). */
  maxAttempts?: number;
  /** How long the connection may stay silent (connecting included) before the attempt fails. */
  timeoutMs?: number;
  /** S3 signs the path as sent (`false`); every other service encodes it again (`true`, the default). */
  uriEscapePath?: boolean;
  /** Add `x-amz-content-sha256` of the body (default); S3 callers send `UNSIGNED-PAYLOAD` themselves. */
  applyChecksum?: boolean;
}

export interface AwsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

/**
 * One AWS API call as a SigV4-signed request over node:http(s), without the service's SDK client: the signer
 * and credential chain are those the bundled DynamoDB client already carries, and node:http avoids the cost
 * of undici's first use (global fetch) at cold start. Signed afresh on each attempt (the signature carries the
 * time). Answers every HTTP status; only network errors (after the last attempt) throw.
 */
export async function awsRequest(request: AwsRequest): Promise<AwsResponse> {
  const maxAttempts = Math.max(1, request.maxAttempts ?? 3);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signer = signerFor(request);
  const { url } = request;
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  for (let attempt = 1; ; attempt++) {
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: queryOf(url),
      headers: { ...request.headers, host: url.host },
      body,
    });
    const headers: Record<string, string> = { ...signed.headers };
    if (body) headers['content-length'] = String(body.byteLength);
    let response: AwsResponse;
    try {
      response = await send(url, request.method, headers, body, timeoutMs);
    } catch (error) {
      if (attempt < maxAttempts) {
        await pause(attempt);
        continue;
      }
      throw error;
    }
    if (attempt < maxAttempts && isRetryable(response)) {
      await pause(attempt);
      continue;
    }
    return response;
  }
}

/** What a caller of one AWS call may set; everything defaults to the Lambda environment. */
export interface AwsCallOptions {
  /** Defaults to AWS_REGION (set in every Lambda). */
  region?: string;
  /** Defaults to the SDK's chain (in Lambda: the function role's keys from the environment). */
  credentials?: AwsCredentials;
  /** Where the environment sends the service instead of AWS (`AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`). */
  endpoint?: string;
  /** Attempts on a network error, a timeout, a 5xx or throttling (the SDK's default is 3). */
  maxAttempts?: number;
  /** How long the connection may stay silent before an attempt fails. */
  timeoutMs?: number;
}

/** The region of a call: the option, else AWS_REGION / AWS_DEFAULT_REGION. @throws naming what needed it */
export function callRegion(options: AwsCallOptions, env: Record<string, string | undefined>, purpose: string): string {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error(`${purpose} needs a region (AWS_REGION)`);
  return region;
}

/**
 * {@link awsRequest} for a call that must answer 200, its failures named after the call: `<call>: <network
 * error>` once the attempts are spent, `<call> failed: HTTP 404 NoSuchKey: …` for any other answer.
 * @returns the answer's body
 */
export async function awsCall(call: string, request: AwsRequest): Promise<Uint8Array> {
  let res: AwsResponse;
  try {
    res = await awsRequest(request);
  } catch (error) {
    throw new Error(`${call}: ${(error as Error).message}`, { cause: error });
  }
  if (res.status !== 200) throw new Error(`${call} failed: ${describeAwsError(res)}`);
  return res.body;
}

/** The endpoint the SDK would use instead of AWS's (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`). */
export function configuredEndpoint(env: Record<string, string | undefined>, serviceEnvName: string): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${serviceEnvName}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** The DNS suffix of a region's partition (China's differs; other partitions are not used here). */
export function awsDomain(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The error code of an AWS error answer: JSON `__type` (without its `namespace#`), XML `<Code>`, or the header. */
export function awsErrorCode(response: AwsResponse): string | undefined {
  const text = Buffer.from(response.body).toString('utf8');
  const json = parseJsonObject(text);
  const fromJson = json?.__type ?? json?.code ?? json?.Code;
  const fromXml = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const header = response.headers['x-amzn-errortype'];
  const code = typeof fromJson === 'string' ? fromJson : (fromXml ?? (typeof header === 'string' ? header.split(':')[0] : undefined));
  return code ? code.slice(code.lastIndexOf('#') + 1) || undefined : undefined;
}

/** The error message of an AWS error answer: JSON `message`/`Message` or XML `<Message>`. */
export function awsErrorMessage(response: AwsResponse): string | undefined {
  const text = Buffer.from(response.body).toString('utf8');
  const json = parseJsonObject(text);
  const fromJson = json?.message ?? json?.Message;
  if (typeof fromJson === 'string') return fromJson || undefined;
  return /<Message>([^<]*)<\/Message>/.exec(text)?.[1] || undefined;
}

/** `HTTP 400 ResourceNotFoundException: …`, for an error naming the call. */
export function describeAwsError(response: AwsResponse): string {
  const code = awsErrorCode(response);
  const message = awsErrorMessage(response);
  return `HTTP ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const THROTTLING = /^(Throttling|ThrottlingException|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled|RequestThrottledException|SlowDown|ProvisionedThroughputExceededException|TransactionInProgressException|RequestTimeout|RequestTimeoutException)$/;

function isRetryable(response: AwsResponse): boolean {
  if ([500, 502, 503, 504].includes(response.status)) return true;
  if (response.status !== 400 && response.status !== 429) return false;
  const code = awsErrorCode(response);
  return code !== undefined && THROTTLING.test(code);
}

let defaultCredentials: AwsCredentials | undefined;
const signers = new Map<string, SignatureV4>();

/** One signer per service, region and signing options for the default chain; a caller's own credentials get their own. */
function signerFor(request: AwsRequest): SignatureV4 {
  const init = { service: request.service, region: request.region, sha256: Sha256, uriEscapePath: request.uriEscapePath ?? true, applyChecksum: request.applyChecksum ?? true };
  if (request.credentials) return new SignatureV4({ ...init, credentials: request.credentials });
  const key = `${init.service}\n${init.region}\n${init.uriEscapePath}\n${init.applyChecksum}`;
  let signer = signers.get(key);
  if (!signer) {
    defaultCredentials ??= defaultProvider();
    signer = new SignatureV4({ ...init, credentials: defaultCredentials });
    signers.set(key, signer);
  }
  return signer;
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

// Keep-alive as the SDK does: a warm Lambda reuses the connection (a stale one fails, and is retried).
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

function send(url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined, timeoutMs: number): Promise<AwsResponse> {
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') return Promise.reject(new Error(`Unsupported protocol ${url.protocol} in ${url.origin}`));
  return new Promise<AwsResponse>((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      url,
      { method, headers, agent: https ? agents.https : agents.http, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error(`${method} ${url.origin}: connection closed mid-answer`)));
        res.on('end', () => {
          // A fresh array, not a view into Node's shared buffer pool.
          const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
          let offset = 0;
          for (const chunk of chunks) {
            bytes.set(chunk, offset);
            offset += chunk.byteLength;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.origin}: timed out after ${timeoutMs} ms without an answer`)));
    req.on('error', reject);
    req.end(body);
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Exponential backoff with jitter: 100–200 ms, then 200–400 ms, … */
function pause(attempt: number): Promise<void> {
  const ceiling = 200 * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ceiling * (0.5 + Math.random() / 2)));
}
