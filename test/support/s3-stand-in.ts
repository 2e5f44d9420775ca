/**
 * A local S3 stand-in for GetObject, path-style (`/bucket/key`), that checks each request's SigV4 signature
 * the way S3 does (`sigv4.ts`: its own node:crypto implementation, not the SDK's signer), so a wrongly
 * encoded path or a missing signed header fails here as it would on AWS.
 */
import type { ServerResponse } from 'node:http';
import { startSigV4Server, type RecordedRequest } from './sigv4.js';

export { sigV4Error } from './sigv4.js';

export interface S3StandInRequest extends RecordedRequest {
  bucket: string;
  /** The decoded object key. */
  key: string;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/** Starts the stand-in on a free local port; `objects` maps `bucket/key` (decoded) to the body. */
export async function startS3StandIn(secrets: Record<string, string> = { test: 'test' }) {
  const objects = new Map<string, Uint8Array>();
  const server = await startSigV4Server<S3StandInRequest>({
    secrets,
    expect: { service: 's3', requiredHeaders: ['x-amz-content-sha256'] },
    describe: (req) => {
      const [, bucket = '', ...rest] = req.path.split('?')[0]!.split('/');
      return { ...req, bucket: decodeURIComponent(bucket), key: rest.map(decodeURIComponent).join('/') };
    },
    refuse: (res) => xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'),
    answer: (res, req) => {
      if (req.method !== 'GET') return xmlError(res, 405, 'MethodNotAllowed', 'Only GET here.');
      const body = objects.get(`${req.bucket}/${req.key}`);
      if (!body) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength });
      res.end(body);
    },
  });
  return {
    ...server,
    objects,
    put: (bucket: string, key: string, body: string | Uint8Array) => objects.set(`${bucket}/${key}`, typeof body === 'string' ? new Uint8Array(Buffer.from(body)) : body),
  };
}
