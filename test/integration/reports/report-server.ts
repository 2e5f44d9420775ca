/**
 * The report routes as the tests reach them: on the stack this file talks to (the shared one, or
 * its own: harness.ts baseUrl), with the CSV and HTML answers kept as text.
 */
import { baseUrl } from '../harness.js';

/** Base URL of the app that serves the report routes: the stack this file talks to. */
export const reportBaseUrl = (): string => baseUrl;

/** `api()` of the harness, with redirects left unfollowed and the raw text kept. */
export async function reportApi<T = any>(method: string, path: string, opts: { key?: string; body?: unknown } = {}): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const res = await fetch(`${reportBaseUrl()}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* CSV or HTML */
  }
  return { status: res.status, body: body as T, text, headers: res.headers };
}
