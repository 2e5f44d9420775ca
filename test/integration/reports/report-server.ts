/**
 * Where the report routes answer. Once the lead mounts `reportApiRoutes()`/`reportPageRoutes()` in
 * src/web/app.ts the test stack's own server serves them; until then this file starts the same app
 * (createApp on the same DynamoDB Local, SES and clock file) with the report routes added, on a
 * free port. Cookies are per host, not per port, so a session from the stack works on both.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll } from 'vitest';
import { LocalClock } from '../../../src/runtime/local/local-clock.js';
import type { RelayDeps } from '../../../src/referrals/deps.js';
import { createApp } from '../../../src/web/app.js';
import { reportApiRoutes, reportPageRoutes } from '../../../src/web/reports/routes.js';
import { baseUrl, deps, relay } from '../harness.js';

let started: Promise<string> | undefined;
let close: (() => void) | undefined;

afterAll(() => close?.());

async function mountedOnStack(): Promise<boolean> {
  const res = await fetch(`${baseUrl}/api/reports/summary`);
  await res.text();
  return res.status !== 404;
}

/** Base URL of an app that serves the report routes (the stack's, or a twin started here). */
export function reportBaseUrl(): Promise<string> {
  started ??= (async () => {
    if (await mountedOnStack()) return baseUrl;
    const clockFile = join(relay.dataDir, 'clock.json');
    // The stack's server moves the clock (POST /dev/clock); read its file on every call so both agree.
    const d: RelayDeps = { ...deps(), clock: { now: () => new LocalClock(clockFile).now() } };
    const app = createApp(d);
    app.route('/api', reportApiRoutes());
    app.route('/', reportPageRoutes());
    const port = await new Promise<number>((ok) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '0.0.0.0' }, (info: AddressInfo) => ok(info.port));
      close = () => server.close();
    });
    return `http://localhost:${port}`;
  })();
  return started;
}

/** `api()` of the harness, against the report server. */
export async function reportApi<T = any>(method: string, path: string, opts: { key?: string; body?: unknown } = {}): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const res = await fetch(`${await reportBaseUrl()}${path}`, {
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
