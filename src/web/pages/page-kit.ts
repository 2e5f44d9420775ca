/** Plumbing shared by the page routes: sessions, form bodies, redirects and HTML responses. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.js';
import type { AppEnv, Session } from '../context.js';
import { DONE_MESSAGES } from './format.js';
import type { Flash } from './layout.js';

export type PageContext = Context<AppEnv>;

/**
 * The signed-in member, or an UnauthorizedError (which the page error handler turns into a redirect
 * to /signin). A Bearer key may read pages (scripts); forms that change things need the web session.
 */
export function pageSession(c: PageContext): Session {
  const session = c.get('session');
  if (!session) throw new UnauthorizedError();
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && session.via !== 'web') {
    throw new ForbiddenError('Forms need a signed-in browser session; scripts use the JSON API under /api');
  }
  return session;
}

export function adminSession(c: PageContext): Session {
  const session = pageSession(c);
  if (!session.isAdmin) throw new ForbiddenError('Only an admin of this group can open this page');
  return session;
}

/** Renders a JSX page as a complete HTML document. */
export async function html(c: PageContext, node: unknown, status: ContentfulStatusCode = 200) {
  const body = String(await node);
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${body}`, status);
}

/** POST → redirect (303) → GET. */
export const seeOther = (c: PageContext, location: string) => c.redirect(location, 303);

/** The string fields of a form body (first value of each) and every value of repeated fields. */
export interface FormFields {
  get(name: string): string;
  all(name: string): string[];
  /** Every single-valued field, for re-filling a form. */
  values(): Record<string, string>;
}

export async function readForm(c: PageContext): Promise<FormFields> {
  const body = await c.req.parseBody({ all: true });
  const list = (name: string): string[] => {
    const v = body[name];
    const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return items.filter((x): x is string => typeof x === 'string');
  };
  return {
    get: (name) => list(name)[0] ?? '',
    all: list,
    values: () => Object.fromEntries(Object.keys(body).map((k) => [k, list(k)[0] ?? ''])),
  };
}

/** The confirmation for `?done=<code>`: only fixed texts, never the query itself. */
export function doneFlash(c: PageContext): Flash | undefined {
  const code = c.req.query('done');
  const text = code ? DONE_MESSAGES[code] : undefined;
  return text ? { kind: 'ok', text } : undefined;
}
