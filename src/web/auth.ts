import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getSignedCookie, setSignedCookie, deleteCookie } from 'hono/cookie';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import { hashSecret } from '../members/api-keys.js';
import { apiKeyGeneration, sessionGeneration } from '../members/credentials.js';
import type { RelayDeps } from '../referrals/deps.js';
import type { Member } from '../domain/types.js';
import type { AppEnv, Session } from './context.js';

export const SESSION_COOKIE = 'rr_session';
const SESSION_HOURS = 24 * 14;

async function sessionFor(deps: RelayDeps, memberId: string, via: Session['via'], generation: number, groupId?: string, named: string[] = []): Promise<Session | undefined> {
  // An API key names its group too: then the member, the group and the members the request names are one read.
  const found = groupId ? await deps.store.getGroupAndMembers(groupId, [memberId, ...named]) : undefined;
  const member = found ? found.members.get(memberId) : await deps.store.getMember(memberId);
  // A removed member's key and session stop working at once; so do keys and sessions of an older generation.
  if (!member || member.status !== 'active') return undefined;
  if (generation !== (via === 'api' ? apiKeyGeneration(member) : sessionGeneration(member))) return undefined;
  const sameGroup = found !== undefined && member.groupId === groupId;
  const group = sameGroup ? found.group : await deps.store.getGroup(member.groupId);
  if (!group) return undefined;
  const known = sameGroup ? new Map([...found.members].filter(([, m]) => m.groupId === group.id)) : undefined;
  return { member, group, isAdmin: member.role === 'admin', via, ...(known ? { known } : {}) };
}

/**
 * The members a request names by id (a referral's provider, say), read in the same batch as its
 * caller's member and group (`Session.known`), so the route reads none of them again.
 */
export type NamedMembers = (c: Context<AppEnv>) => Promise<string[]>;

/**
 * Resolves the caller: `Authorization: Bearer <apiKey>` (API, and GET pages for scripts) or the
 * signed session cookie (pages). Sets `session` when valid; never fails by itself.
 */
export function identify(deps: RelayDeps, namedMembers?: NamedMembers): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('deps', deps);
    const auth = c.req.header('authorization');
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const record = match ? await deps.store.getApiKey(hashSecret(match[1]!)) : undefined;
      if (!record) throw new UnauthorizedError('That API key is not valid');
      const named = record.groupId && namedMembers ? await namedMembers(c) : [];
      const session = await sessionFor(deps, record.memberId, 'api', record.generation ?? 1, record.groupId, named);
      if (!session) throw new UnauthorizedError('That API key has been revoked, or belongs to a member who has been removed');
      c.set('session', session);
    } else {
      const sessionId = await signedSessionId(c, deps);
      const record = sessionId ? await deps.store.readToken(sessionKey(sessionId), deps.clock.now()) : undefined;
      if (record?.purpose === 'session' && record.memberId) {
        const session = await sessionFor(deps, record.memberId, 'web', Number(record.generation ?? 1));
        if (session) c.set('session', session);
      }
    }
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The JSON API's CSRF guard. A browser attaches the session cookie to any site's request, so a write
 * authenticated by the cookie alone must come from one of our own pages: its Origin must be ours
 * (whatever the content type — hono/csrf checks only form types, and a cross-site `fetch` with
 * `text/plain` or a no-cors request needs no preflight). Bearer keys are never sent by a browser on
 * its own, so they need no such check. Runs after `identify`.
 */
export function sameOriginForCookieWrites(allowedOrigins: (c: Context<AppEnv>) => string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (session?.via === 'web' && !SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (!origin || !allowedOrigins(c).includes(origin)) {
        throw new ForbiddenError('A write to the API with a session cookie must come from this site (same Origin); scripts send Authorization: Bearer <apiKey>');
      }
    }
    await next();
  };
}

export function requireSession(c: Context<AppEnv>): Session {
  const session = c.get('session');
  if (!session) throw new UnauthorizedError();
  return session;
}

/** The session of an admin of the group, else 403 "Only an admin can <doing>". */
export function requireAdmin(c: Context<AppEnv>, doing: string): Session {
  const session = requireSession(c);
  if (!session.isAdmin) throw new ForbiddenError(`Only an admin can ${doing}`);
  return session;
}

/** The secrets a signature may verify with: the current one and, during a rotation, the previous one. */
export const verificationSecrets = (config: RelayDeps['config']) => [config.sessionSecret, ...(config.previousSessionSecret ? [config.previousSessionSecret] : [])];

/** The session id in the cookie, when its signature verifies with the current or the previous secret. */
async function signedSessionId(c: Context<AppEnv>, deps: RelayDeps): Promise<string | undefined> {
  for (const secret of verificationSecrets(deps.config)) {
    const value = await getSignedCookie(c, secret, SESSION_COOKIE);
    if (value && /^[A-Za-z0-9_-]{40,64}$/.test(value)) return value;
  }
  return undefined;
}

/** Sessions live server-side (a token item by hash), so signing out or expiry ends every copy of the cookie. */
const sessionKey = (sessionId: string) => hashSecret(`session:${sessionId}`);

export async function startSession(c: Context<AppEnv>, member: Member) {
  const deps = c.get('deps');
  const sessionId = randomBytes(32).toString('base64url');
  await deps.store.putToken(sessionKey(sessionId), { purpose: 'session', memberId: member.id, generation: String(sessionGeneration(member)) }, new Date(deps.clock.now().getTime() + SESSION_HOURS * 3_600_000));
  await setSignedCookie(c, SESSION_COOKIE, sessionId, deps.config.sessionSecret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: !deps.config.local,
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}

/** Ends this browser's session on the server (a copied cookie stops working too) and clears the cookie. */
export async function endSession(c: Context<AppEnv>) {
  const deps = c.get('deps');
  const sessionId = await signedSessionId(c, deps);
  if (sessionId) await deps.store.dropToken(sessionKey(sessionId));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
