/**
 * A local S3 stand-in for GetObject, path-style (`/bucket/key`), that checks each request's SigV4 signature
 * the way S3 does, with its own small implementation (node:crypto, not the SDK's signer), so a wrongly
 * encoded path or a missing signed header fails here as it would on AWS.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3StandInRequest {
  method: string;
  /** The raw request path, still percent-encoded. */
  path: string;
  bucket: string;
  /** The decoded object key. */
  key: string;
  headers: Record<string, string>;
  /** Why the signature was refused, when it was. */
  signatureError?: string;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

/** Checks an `Authorization: AWS4-HMAC-SHA256 …` header; undefined when the signature is right. */
export function sigV4Error(req: { method: string; path: string; headers: Record<string, string> }, secrets: Record<string, string>): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  if (!auth) return `bad Authorization header: ${req.headers.authorization}`;
  const [, accessKey, day, region, service, signedHeaders, signature] = auth as unknown as string[];
  const secret = secrets[accessKey!];
  if (!secret) return `unknown access key ${accessKey}`;
  const amzDate = req.headers['x-amz-date'] ?? '';
  if (!amzDate.startsWith(day!)) return 'x-amz-date does not match the credential scope';
  const names = signedHeaders!.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) if (!names.includes(required)) return `${required} is not signed`;
  const [rawPath, rawQuery = ''] = req.path.split('?');
  const canonicalQuery = rawQuery.split('&').filter(Boolean).sort().join('&');
  const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, rawPath, canonicalQuery, canonicalHeaders, signedHeaders, req.headers['x-amz-content-sha256']].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), 'aws4_request');
  const expected = hmac(key, toSign).toString('hex');
  return expected === signature ? undefined : `signature mismatch; canonical request was:\n${canonical}`;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
}

/** Starts the stand-in on a free local port; `objects` maps `bucket/key` (decoded) to the body. */
export async function startS3StandIn(secrets: Record<string, string> = { test: 'test' }) {
  const objects = new Map<string, Uint8Array>();
  const requests: S3StandInRequest[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const [, bucket = '', ...rest] = path.split('?')[0]!.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const headers = headersOf(req);
    const signatureError = sigV4Error({ method: req.method ?? '', path, headers }, secrets);
    requests.push({ method: req.method ?? '', path, bucket: decodeURIComponent(bucket), key, headers, signatureError });
    const xmlError = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    };
    if (signatureError) return xmlError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (req.method !== 'GET') return xmlError(405, 'MethodNotAllowed', 'Only GET here.');
    const body = objects.get(`${decodeURIComponent(bucket)}/${key}`);
    if (!body) return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    put: (bucket: string, key: string, body: string | Uint8Array) => objects.set(`${bucket}/${key}`, typeof body === 'string' ? new Uint8Array(Buffer.from(body)) : body),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
