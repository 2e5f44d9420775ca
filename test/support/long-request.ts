/**
 * Helpers the long-running proof runs (benches and the faults test) share.
 */
import { request as httpRequest } from 'node:http';

/**
 * POSTs JSON and waits however long the answer takes. `fetch` (undici) gives up on an answer's
 * headers after 300 s, and a `POST /dev/clock` that runs a busy day of steps may take longer.
 * Answers the status and the body's text; a network error rejects.
 */
export function postLong(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((ok, fail) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, text }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The weekly digests name many referrals and are on no referral's timeline: the runs set them apart. */
export const isDigestSubject = (subject: string): boolean => /^(Your week in|Admin summary for) /.test(subject);
