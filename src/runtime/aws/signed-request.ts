import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { streamCollector } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';

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
  /** Lower-case names, as the SDK's HTTP handler gives them. */
  headers: Record<string, string | undefined>;
  body: Uint8Array;
}

/**
 * One AWS API call as a SigV4-signed request, without the service's SDK client: the signer, credential chain,
 * HTTP handler (`NodeHttpHandler`, keep-alive agents) and retry strategy (`StandardRetryStrategy`: backoff
 * with jitter, a longer base for throttling, a retry quota) are the SDK's own, already in every bundle with
 * the DynamoDB client. Signed afresh on each attempt (the signature carries the time). Answers every HTTP
 * status; only network errors (after the last attempt) throw.
 */
export async function awsRequest(request: AwsRequest): Promise<AwsResponse> {
  const { url } = request;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Unsupported protocol ${url.protocol} in ${url.origin}`);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const handler = handlerFor(timeoutMs);
  const retries = retryStrategyFor(Math.max(1, request.maxAttempts ?? 3));
  const signer = signerFor(request);
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  let token: RetryToken = await retries.acquireInitialRetryToken(`${request.service}:${request.region}`);
  for (;;) {
    const headers: Record<string, string> = { ...request.headers, host: url.host };
    const unsigned = new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: queryOf(url),
      headers,
      body,
    });
    const signed = (await signer.sign(unsigned)) as HttpRequest;
    // Added after signing, as the SDK does: a proxy may re-chunk the body.
    if (body) signed.headers['content-length'] = String(body.byteLength);
    let response: AwsResponse | undefined;
    let failure: unknown;
    try {
      const { response: answer } = await handler.handle(signed);
      response = { status: answer.statusCode, headers: answer.headers, body: await collect(answer.body) };
    } catch (error) {
      // The SDK names its own timeouts TimeoutError, and a reset connection too (with its code kept).
      const timedOut = (error as Error).name === 'TimeoutError' && !(error as { code?: string }).code;
      failure = timedOut ? new Error(`${request.method} ${url.origin}: timed out after ${timeoutMs} ms without an answer`, { cause: error }) : error;
    }
    const errorType = failure ? 'TRANSIENT' : retryableErrorType(response!);
    if (!errorType) {
      retries.recordSuccess(token);
      return response!;
    }
    try {
      token = await retries.refreshRetryTokenForRetry(token, { errorType });
    } catch {
      // No attempt or retry quota left: the last answer, or the last network error.
      if (response) return response;
      throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, token.getRetryDelay()));
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
type RetryToken = Awaited<ReturnType<StandardRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorType = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1]['errorType'];

const THROTTLING = /^(Throttling|ThrottlingException|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled|RequestThrottledException|SlowDown|ProvisionedThroughputExceededException|TransactionInProgressException|RequestTimeout|RequestTimeoutException)$/;

/** How the SDK's retry strategy should treat an answer; undefined when it is final. */
function retryableErrorType(response: AwsResponse): RetryErrorType | undefined {
  // The SDK classifies these statuses as transient (retried), not as SERVER_ERROR (final).
  if ([500, 502, 503, 504].includes(response.status)) return 'TRANSIENT';
  if (response.status !== 400 && response.status !== 429) return undefined;
  const code = awsErrorCode(response);
  return code !== undefined && THROTTLING.test(code) ? 'THROTTLING' : undefined;
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

// One handler per timeout and one retry strategy per attempt count, kept for the module's life like an SDK
// client's: a warm Lambda reuses the keep-alive connection and the retry quota.
const handlers = new Map<number, NodeHttpHandler>();
function handlerFor(timeoutMs: number): NodeHttpHandler {
  let handler = handlers.get(timeoutMs);
  if (!handler) {
    // Connecting, and then silence on the socket, each bounded by the timeout.
    handler = new NodeHttpHandler({ connectionTimeout: timeoutMs, socketTimeout: timeoutMs });
    handlers.set(timeoutMs, handler);
  }
  return handler;
}

const strategies = new Map<number, StandardRetryStrategy>();
function retryStrategyFor(maxAttempts: number): StandardRetryStrategy {
  let strategy = strategies.get(maxAttempts);
  if (!strategy) {
    strategy = new StandardRetryStrategy(maxAttempts);
    strategies.set(maxAttempts, strategy);
  }
  return strategy;
}

/** The whole answer body as a fresh array (the SDK's own stream collector). */
async function collect(body: unknown): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  return new Uint8Array(await streamCollector(body as Parameters<typeof streamCollector>[0]));
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
