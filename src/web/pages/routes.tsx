import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, UnauthorizedError } from '../../domain/errors.js';
import type { AppEnv } from '../context.js';
import { registerAccessPages } from './access.js';
import { registerAdminPages } from './admin.js';
import { MessagePage } from './layout.js';
import { registerMemberPages } from './members.js';
import { html, seeOther } from './page-kit.js';
import { registerReferPages } from './refer.js';
import { registerReferralPages } from './referrals.js';

const TITLES: Partial<Record<number, string>> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That clashes with something',
  422: 'Please check that',
  429: 'Too many tries',
};

/**
 * The server-rendered web app. Plain HTML forms (POST → 303 → GET), no JavaScript needed.
 * Errors become HTML pages here rather than the API's JSON; a page that needs a member sends a
 * browser without a session to /signin.
 */
export function pageRoutes() {
  const pages = new Hono<AppEnv>();
  registerAccessPages(pages);
  registerReferPages(pages);
  registerReferralPages(pages);
  registerMemberPages(pages);
  registerAdminPages(pages);

  pages.onError((err, c) => {
    const session = c.get('session');
    if (err instanceof UnauthorizedError) return seeOther(c, '/signin');
    if (err instanceof DomainError) {
      const text = err.status === 404 ? 'There is nothing here, or it is not yours to see.' : err.message;
      return html(c, <MessagePage title={TITLES[err.status] ?? 'That did not work'} session={session} text={text} link={session ? { href: '/referrals', label: 'Go to my referrals' } : { href: '/signin', label: 'Sign in' }} />, err.status);
    }
    if (err instanceof HTTPException) return err.getResponse();
    c.get('deps').log.error('page failed', { path: c.req.path, err: String((err as Error).stack ?? err) });
    return html(c, <MessagePage title="Something went wrong" session={session} text="Something went wrong on our side. Please try again in a moment." />, 500);
  });

  return pages;
}
