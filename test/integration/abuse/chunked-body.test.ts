import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { env, freshGroup } from '../harness.js';

/** Sends `total` bytes as a chunked body (no Content-Length) and returns the status and body. */
function postChunked(path: string, total: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: Number(env.PORT), method: 'POST', path, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('a chunked request body over the limit', () => {
  it('gets 413 with the error shape on API routes, with and without a key (never a 500)', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    for (const [path, headers] of [
      ['/api/referrals', { authorization: `Bearer ${g.members['Priya Shah']!.apiKey}` }],
      ['/api/referrals', {}],
      [`/api/members/${g.members['Priya Shah']!.id}`, { authorization: `Bearer ${g.admin.apiKey}` }],
    ] as const) {
      const res = await postChunked(path, 1024 * 1024, headers);
      expect(res.status, path).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'too_large', message: expect.stringContaining('256 KB') } });
    }
  });

  it('gets 413 on a form route too, and a chunked body under the limit still works', async () => {
    expect((await postChunked('/signin', 600 * 1024, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(413);
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Reed' }]);
    const small = await new Promise<number>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: Number(env.PORT), method: 'POST', path: '/api/referrals', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: `Bearer ${g.members['Priya Shah']!.apiKey}` } }, (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode ?? 0));
      });
      req.on('error', fail);
      const body = JSON.stringify({ provider: g.members['Tom Reed']!.email, prospect: { name: 'Bob Chunk', email: `bob-${g.tag}@example.com` }, need: 'Chunked but small', consent: false });
      req.write(body.slice(0, 20));
      req.end(body.slice(20));
    });
    expect(small).toBe(201);
  });
});
