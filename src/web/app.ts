import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { $ZodError } from 'zod/v4/core';
import { DomainError, RateLimitError } from '../domain/errors.js';
import type { RelayDeps } from '../referrals/deps.js';
import { apiDocsPage } from './api/docs-page.js';
import type { DocumentBase } from './api/openapi-document.js';
import { apiRoutes, namedInApiBody } from './api/routes.js';
import { identify, sameOriginForCookieWrites } from './auth.js';
import { limitBody } from './body-limit.js';
import { humanIssues, issuesSentence } from './human-issues.js';
import type { AppEnv } from './context.js';
import { MessagePage } from './pages/layout.js';
import { html as htmlPage } from './pages/page-kit.js';
import { pageRoutes } from './pages/routes.js';
import { reportPageRoutes } from './reports/routes.js';

export interface AppOptions {
  /** Each must resolve when its component answers; GET /healthz is 200 only when all do. */
  healthChecks?: Record<string, () => Promise<unknown>>;
  /** Extra routes mounted only locally (the /dev clock). */
  devRoutes?: Hono<AppEnv>;
}

export const MAX_BODY_BYTES = 256 * 1024;
/** Roster uploads (API and /admin): 500 members with long profile answers fit. */
export const MAX_ROSTER_BYTES = 2 * 1024 * 1024;
const ROSTER_PATHS = new Set(['/api/members/import', '/admin/import']);

const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

/** The fixed part of the API's OpenAPI document (`/api/openapi.json`, `/api/docs`, the typed client). */
export const API_DOCUMENT_BASE: DocumentBase = { openapi: '3.1.0', servers: [{ url: '/api' }], info: { title: 'Referral Relay API', version: '1.0.0', description: 'Log and update referrals. Authenticate with `Authorization: Bearer <apiKey>`.' } };

/** The whole web app and JSON API: the same Hono app on Node locally and in Lambda. */
export function createApp(deps: RelayDeps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"] } }));
  const limit = (maxBytes: number): MiddlewareHandler<AppEnv> =>
    limitBody({
      maxBytes,
      drainBytes: DRAIN_LIMIT_BYTES,
      onTooLarge: (c) => c.json(errorBody('too_large', `The body is over ${maxBytes / 1024} KB`), 413),
    });
  const usualLimit = limit(MAX_BODY_BYTES);
  const rosterLimit = limit(MAX_ROSTER_BYTES);
  app.use('*', (c: Context<AppEnv, string>, next) => (ROSTER_PATHS.has(c.req.path) ? rosterLimit(c, next) : usualLimit(c, next)));
  // Forms: only same-origin posts (the Origin check of hono/csrf). Exempt: the API (Bearer keys), and
  // the signed one-click links, which mail providers POST without an Origin (RFC 8058) and whose
  // signed token is the proof.
  const csrfExempt = /^\/(api|unsubscribe|stop)\//;
  const sameOrigin: MiddlewareHandler<AppEnv> = csrf();
  app.use('*', async (c: Context<AppEnv, string>, next) => (csrfExempt.test(c.req.path) ? next() : sameOrigin(c, next)));
  app.use('*', identify(deps, namedInApiBody));
  const ownOrigins = (c: { req: { url: string } }) => [new URL(c.req.url).origin, new URL(deps.config.webBaseUrl).origin];
  app.use('/api/*', sameOriginForCookieWrites(ownOrigins));

  app.get('/healthz', async (c) => {
    const checks = options.healthChecks ?? { dynamodb: () => deps.store.ping() };
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, String((err as Error).message ?? err)] as const;
        }
      }),
    );
    const failed = results.filter(([, r]) => r !== 'ok');
    return failed.length === 0 ? c.json({ ok: true }) : c.json({ ok: false, failed: Object.fromEntries(failed) }, 503);
  });

  const api = apiRoutes();
  api.serveDocument('/openapi.json', API_DOCUMENT_BASE);
  let apiDocument: ReturnType<typeof api.openApi> | undefined;
  api.get('/docs', (c) => c.html(html`<!doctype html>${apiDocsPage((apiDocument ??= api.openApi(API_DOCUMENT_BASE)))}`));
  app.route('/api', api);
  if (options.devRoutes) app.route('/dev', options.devRoutes);
  app.route('/', reportPageRoutes());
  app.route('/', pageRoutes());

  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json(errorBody('not_found', 'No such endpoint'), 404)
      : htmlPage(c, MessagePage({ title: 'Not found', session: c.get('session'), text: 'There is no page at this address.', link: c.get('session') ? { href: '/referrals', label: 'Go to my referrals' } : { href: '/signin', label: 'Sign in' } }), 404),
  );

  app.onError((err, c) => {
    if (err instanceof RateLimitError) c.header('Retry-After', String(err.retryAfterSeconds));
    if (err instanceof DomainError) return c.json(errorBody(err.code, err.message, err.details), err.status);
    if (err instanceof $ZodError) {
      const issues = humanIssues(err.issues);
      return c.json(errorBody('invalid', issuesSentence(issues), issues), 422);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      if (status >= 400 && status < 500) return c.json(errorBody(status === 413 ? 'too_large' : 'bad_request', err.message || 'Bad request'), status);
    }
    if (err instanceof SyntaxError) return c.json(errorBody('bad_request', 'The body is not valid JSON'), 400);
    deps.log.error('unhandled error', { path: c.req.path, err: String((err as Error).stack ?? err) });
    return c.json(errorBody('internal', 'Something went wrong on our side'), 500);
  });

  return app;
}
