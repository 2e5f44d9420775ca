/**
 * SigV4 checked as AWS does, with its own small implementation (node:crypto, not the SDK's signer), and a
 * local HTTP server that checks every request with it, records it and can be told to fail the next ones.
 * The service stand-ins (`s3-stand-in.ts`, `secrets-manager-stand-in.ts`) are built on it.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface SigV4Expectations {
  /** The signing name the credential scope must carry (`s3`, `secretsmanager`); any when absent. */
  service?: string;
  region?: string;
  /** Headers that must be signed; `host` and `x-amz-date` always, and every `x-amz-*` header sent. */
  requiredHeaders?: string[];
}

export interface SignedRequest {
  method: string;
  /** The raw request path (and query), still percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Checks an `Authorization: AWS4-HMAC-SHA256 …` header; undefined when the signature is right. */
export function sigV4Error(req: SignedRequest, secrets: Record<string, string>, expect: SigV4Expectations = {}): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  if (!auth) return `bad Authorization header: ${req.headers.authorization}`;
  const [, accessKey, day, region, service, signedHeaders, signature] = auth as unknown as string[];
  const secret = secrets[accessKey!];
  if (!secret) return `unknown access key ${accessKey}`;
  if (expect.service && service !== expect.service) return `signed for service ${service}, not ${expect.service}`;
  if (expect.region && region !== expect.region) return `signed for region ${region}, not ${expect.region}`;
  const amzDate = req.headers['x-amz-date'] ?? '';
  if (!amzDate.startsWith(day!)) return 'x-amz-date does not match the credential scope';
  const when = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!(Math.abs(Date.now() - when) < 15 * 60_000)) return `x-amz-date ${amzDate} is more than 15 minutes off`;
  const names = signedHeaders!.split(';');
  const required = ['host', 'x-amz-date', ...(expect.requiredHeaders ?? []), ...Object.keys(req.headers).filter((n) => n.startsWith('x-amz-'))];
  for (const name of required) if (!names.includes(name)) return `${name} is not signed`;
  const body = req.body ?? '';
  const declared = req.headers['x-amz-content-sha256'];
  if (declared && declared !== 'UNSIGNED-PAYLOAD' && declared !== sha256Hex(body)) return 'x-amz-content-sha256 is not the hash of the body';
  const payloadHash = declared ?? sha256Hex(body);
  const [rawPath = '/', rawQuery = ''] = req.path.split('?');
  // S3 signs the path as sent; every other service encodes each segment once more.
  const canonicalPath = service === 's3' ? rawPath : rawPath.split('/').map(encodeRfc3986).join('/');
  const canonicalQuery = rawQuery.split('&').filter(Boolean).sort().join('&');
  const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), 'aws4_request');
  const expected = hmac(key, toSign).toString('hex');
  return expected === signature ? undefined : `signature mismatch; canonical request was:\n${canonical}`;
}

function encodeRfc3986(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface RecordedRequest {
  method: string;
  /** The raw request path, still percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Why the signature was refused, when it was. */
  signatureError?: string;
}

/** What to do with the next request instead of answering it: an HTTP answer, a dropped connection, or silence. */
export type Fault = { status: number; body?: string; contentType?: string } | 'drop' | 'hang';

export interface SigV4ServerOptions<R extends RecordedRequest> {
  secrets: Record<string, string>;
  expect?: SigV4Expectations;
  /** Adds the service's view of the request (bucket and key, operation, …) to what is recorded. */
  describe: (req: RecordedRequest) => R;
  /** Answers a request whose signature was refused. */
  refuse: (res: ServerResponse, req: R) => void;
  /** Answers a correctly signed request. */
  answer: (res: ServerResponse, req: R) => void;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
}

/** Starts a signature-checking server on a free loopback port. */
export async function startSigV4Server<R extends RecordedRequest>(options: SigV4ServerOptions<R>) {
  const requests: R[] = [];
  const faults: Fault[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers = headersOf(req);
      const body = Buffer.concat(chunks);
      const signatureError = sigV4Error({ method: req.method ?? '', path, headers, body }, options.secrets, options.expect);
      const recorded = options.describe({ method: req.method ?? '', path, headers, body, signatureError });
      requests.push(recorded);
      const fault = faults.shift();
      if (fault === 'drop') return req.socket.destroy();
      if (fault === 'hang') return;
      if (fault) {
        res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/octet-stream' });
        return res.end(fault.body ?? '');
      }
      if (signatureError) return options.refuse(res, recorded);
      options.answer(res, recorded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    /** The next requests get these instead of an answer, in order (after being checked and recorded). */
    failNext: (...next: Fault[]) => void faults.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        faults.length = 0;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
