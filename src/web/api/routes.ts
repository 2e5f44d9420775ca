import { eraseProspectFromDeadLetters } from '../../referrals/erase-dead-letters.js';
import * as z from '../../config/zod.js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { ID_PATTERN } from '../../domain/ids.js';
import type { Member, Referral } from '../../domain/types.js';
import { addMember, newAddresses, updateMember } from '../../members/members.js';
import type { RelayDeps } from '../../referrals/deps.js';
import type { ActionInput, ActorRole } from '../../referrals/decide-action.js';
import { performAction } from '../../referrals/engine.js';
import { bodyHash } from '../../referrals/guards.js';
import { logReferral } from '../../referrals/log-referral.js';
import { memberView, redactEvent, referralView, sideOf } from '../../referrals/view.js';
import { requireAdmin, requireSession, type NamedMembers } from '../auth.js';
import type { Session } from '../context.js';
import { sendAddressConfirmations } from '../mail-links.js';
import { settingsRoutes } from './settings.js';
import { memberImportRoutes } from './member-import.js';
import { webhookRoutes } from './webhooks.js';
import { reportApiRoutes } from '../reports/routes.js';
import { apiRouter, errors, json, security } from './openapi-kit.js';
import {
  actionSchema,
  idParamSchema,
  timelinePageSchema,
  listQuerySchema,
  memberPatchBodySchema,
  memberSchema,
  newMemberBodySchema,
  newReferralSchema,
  pageOf,
  pageQuerySchema,
  referralSchema,
  actionResultSchema,
} from './schemas.js';
import type { ReferralListQuery } from '../../store/referral-store.js';

/** A member id, or an email address of a member, within the caller's group. */
/** A member of the group named by id or address; `known` (Session.known) spares the read when it holds them. */
export async function resolveMember(deps: RelayDeps, groupId: string, ref: string, field: string, known?: ReadonlyMap<string, Member>): Promise<Member> {
  const member = ref.includes('@') ? await deps.store.findMemberByAddress(groupId, ref.toLowerCase()) : (known?.get(ref) ?? (await deps.store.getMember(ref)));
  if (!member || member.groupId !== groupId) throw new ValidationError(`${field}: no member "${ref}" in this group`, { field });
  return member;
}

/** The API writes whose body names members by id: logging a referral, and its actions (reassign). */
const NAMING_PATHS = /^\/api\/referrals(\/[a-z0-9]+\/actions)?$/;

/**
 * The member ids a JSON API write names in its body (`provider`, `referrer`): read with the caller
 * (auth.ts NamedMembers), so logging or reassigning a referral reads no member on its own. Only a
 * hint: the route still validates the body and checks every member it uses.
 */
export const namedInApiBody: NamedMembers = async (c) => {
  if (c.req.method !== 'POST' || !NAMING_PATHS.test(c.req.path) || !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return [];
  const body: unknown = await c.req.json().catch(() => undefined);
  if (!body || typeof body !== 'object') return [];
  const fields = body as Record<string, unknown>;
  return [fields.provider, fields.referrer].filter((v): v is string => typeof v === 'string' && ID_PATTERN.test(v));
};

export async function membersById(deps: RelayDeps, groupId: string): Promise<Map<string, Member>> {
  return new Map((await deps.store.listMembers(groupId)).map((m) => [m.id, m]));
}

/**
 * The people one referral's view names (its referrer and provider), from `known` where given, the rest
 * read in one batch: a single referral never needs the whole group's members.
 */
export async function peopleOf(deps: RelayDeps, r: Pick<Referral, 'groupId' | 'referrerId' | 'providerId'>, known: Member[] = []): Promise<Map<string, Member>> {
  const people = new Map(known.map((m) => [m.id, m]));
  const missing = [r.referrerId, r.providerId].filter((id): id is string => !!id && !people.has(id));
  if (missing.length === 0) return people;
  const { members } = await deps.store.getGroupAndMembers(r.groupId, missing);
  for (const [id, m] of members) if (m.groupId === r.groupId) people.set(id, m);
  return people;
}

/** Loads a referral the caller may see, or 404 (never reveal other groups' ids). */
/**
 * The referral as the session may see it, with one page of its timeline (oldest first); `next` is
 * the cursor of the following page when there is one.
 */
export async function visibleReferral(
  deps: RelayDeps,
  session: Session,
  id: string,
  page: { limit?: number; after?: string } = {},
): Promise<{ referral: Referral; side: 'admin' | 'provider' | 'referrer'; next?: string }> {
  const state = await deps.store.getReferralState(id);
  const side = state ? sideOf(state, session) : 'none';
  if (!state || side === 'none') throw new NotFoundError('referral');
  const timeline = await deps.store.getTimeline(id, page);
  return { referral: { ...state, timeline: timeline.events }, side, next: timeline.next };
}

/** Where the next page of a referral's timeline is, for the API's `timelineNext`. */
const timelineNextPath = (id: string, next: string | undefined, limit: number | undefined) =>
  next ? { timelineNext: `/api/referrals/${id}?timeline_after=${encodeURIComponent(next)}${limit ? `&timeline_limit=${limit}` : ''}` } : {};


export function apiRoutes() {
  const api = apiRouter().securityScheme('bearer', { type: 'http', scheme: 'bearer' });

  // ---- members ----
  // Before /members/{id}-style routes, so "import" is never read as an id.
  api.include(memberImportRoutes());
  api.defineRoute(
    { method: 'post', path: '/members', security, request: { body: newMemberBodySchema }, responses: { 201: json(z.object({ member: memberSchema, apiKey: z.string() }), 'Created; the API key is shown once'), ...errors } },
    async (c) => {
      const s = requireAdmin(c, 'add members');
      const { member, apiKey } = await addMember(c.get('deps'), s.group.id, c.req.valid('json'));
      return c.json({ member: memberView(member, { self: false, admin: true }), apiKey }, 201);
    },
  );

  api.defineRoute({ method: 'get', path: '/members', security, request: { query: pageQuerySchema }, responses: { 200: json(pageOf(memberSchema), 'Members of your group by name, one page (`limit`, then `cursor` = `next`)'), ...errors } }, async (c) => {
    const s = requireSession(c);
    const { limit, cursor } = c.req.valid('query');
    const page = await c.get('deps').store.listMembersPage(s.group.id, { limit, after: cursor, activeOnly: !s.isAdmin });
    return c.json({ items: page.items.map((m) => memberView(m, { self: m.id === s.member.id, admin: s.isAdmin })), ...(page.after ? { next: page.after } : {}) }, 200);
  });

  api.defineRoute(
    { method: 'patch', path: '/members/{id}', security, request: { params: idParamSchema, body: memberPatchBodySchema }, responses: { 200: json(memberSchema, 'Updated'), ...errors } },
    async (c) => {
      const s = requireSession(c);
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const target = await deps.store.getMember(id);
      if (!target || target.groupId !== s.group.id) throw new NotFoundError('member');
      if (!s.isAdmin && id !== s.member.id) throw new ForbiddenError('You can only change your own profile');
      const patch = c.req.valid('json');
      // Confirmation emails go to addresses new to this member only (not to ones already waiting),
      // and each takes one of the member's allowance before anything is stored.
      const fresh = s.isAdmin ? [] : newAddresses(target, patch.extraAddresses);
      if (fresh.length > 0) await deps.limits.take('addressConfirmations', s.member.id, fresh.length);
      const { member, toConfirm } = await updateMember(deps, id, patch, { isAdmin: s.isAdmin });
      await sendAddressConfirmations(deps, member, toConfirm.filter((a) => fresh.includes(a)));
      return c.json(memberView(member, { self: id === s.member.id, admin: s.isAdmin }), 200);
    },
  );

  // ---- referrals ----
  api.defineRoute(
    {
      method: 'post',
      path: '/referrals',
      security,
      request: { headers: z.object({ 'idempotency-key': z.optional(z.string().check(z.minLength(1), z.maxLength(200))) }), body: newReferralSchema },
      responses: { 201: json(referralSchema, 'Logged'), 200: json(referralSchema, 'Repeated Idempotency-Key: the first result'), ...errors },
    },
    async (c) => {
      const s = requireSession(c);
      const deps = c.get('deps');
      await deps.limits.take('referrals', s.member.id);
      const body = c.req.valid('json');
      if (body.referrer && !s.isAdmin) throw new ForbiddenError('Only an admin can log a referral on behalf of another member');
      const referrer = body.referrer ? await resolveMember(deps, s.group.id, body.referrer, 'referrer', s.known) : s.member;
      const provider = await resolveMember(deps, s.group.id, body.provider, 'provider', s.known);
      const key = c.req.header('idempotency-key');
      const { referral, created } = await logReferral(
        deps,
        { groupId: s.group.id, referrerId: referrer.id, providerId: provider.id, prospect: body.prospect, need: body.need, temperature: body.temperature, consent: body.consent, note: body.note, introLine: body.intro || undefined, source: 'api' },
        { via: 'api', actorId: s.member.id, idempotency: key ? { key: `${s.member.id}:${key}`, bodyHash: bodyHash(body) } : undefined, known: { group: s.group, members: [referrer, provider] } },
      );
      const side = sideOf(referral, s);
      return c.json(referralView(referral, side === 'none' ? 'referrer' : side, await peopleOf(deps, referral, [referrer, provider])), created ? 201 : 200);
    },
  );

  api.defineRoute(
    { method: 'get', path: '/referrals', security, request: { query: listQuerySchema }, responses: { 200: json(pageOf(referralSchema), 'Referrals you may see, newest first, one page (`limit`, then `cursor` = `next`)'), ...errors } },
    async (c) => {
      const s = requireSession(c);
      const deps = c.get('deps');
      const { status, role, limit, cursor } = c.req.valid('query');
      const whose: ReferralListQuery =
        role === 'received' ? { receivedBy: s.member.id } : role === 'given' ? { givenBy: s.member.id } : s.isAdmin ? { groupId: s.group.id } : { involving: s.member.id };
      const page = await deps.store.listReferralsPage(whose, { limit, after: cursor, status });
      const members = await membersById(deps, s.group.id);
      const items = page.items.filter((r) => sideOf(r, s) !== 'none').map((r) => referralView(r, sideOf(r, s) as 'admin', members));
      return c.json({ items, ...(page.after ? { next: page.after } : {}) }, 200);
    },
  );

  api.defineRoute(
    {
      method: 'get',
      path: '/referrals/{id}',
      security,
      request: { params: idParamSchema, query: timelinePageSchema },
      responses: { 200: json(referralSchema, 'The referral with its timeline, oldest first, up to `timeline_limit` events (default 100); `timelineNext` is the path of the next page'), ...errors },
    },
    async (c) => {
      const s = requireSession(c);
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const { timeline_after: after, timeline_limit: limit } = c.req.valid('query');
      const { referral, side, next } = await visibleReferral(deps, s, id, { after, limit });
      return c.json({ ...referralView(referral, side, await peopleOf(deps, referral)), ...timelineNextPath(id, next, limit) }, 200);
    },
  );

  api.defineRoute(
    { method: 'post', path: '/referrals/{id}/actions', security, request: { params: idParamSchema, body: actionSchema }, responses: { 200: json(actionResultSchema, 'The referral after the action, its timeline\'s first page as GET answers it, and `added`: the events this action put on the timeline'), ...errors } },
    async (c) => {
      const s = requireSession(c);
      const deps = c.get('deps');
      await deps.limits.take('actions', s.member.id);
      const { referral, side } = await visibleReferral(deps, s, c.req.valid('param').id);
      const body = c.req.valid('json');
      const updated = await runAction(deps, s, referral, side, body);
      // The change returns its new events only: answer with the timeline's first page, as GET does,
      // and with the new events as `added` (past the first page, the page does not show them).
      const [timeline, people] = await Promise.all([deps.store.getTimeline(referral.id), peopleOf(deps, updated)]);
      const added = updated.timeline.map((e) => redactEvent(e, side));
      return c.json({ ...referralView({ ...updated, timeline: timeline.events }, side, people), ...timelineNextPath(referral.id, timeline.next, undefined), added }, 200);
    },
  );

  api.include(settingsRoutes());
  api.include(webhookRoutes());
  api.include(reportApiRoutes());
  // ---- dead letters: inbound mail that could not be read, and emails that could not be sent ----
  const failingEmailSchema = z.object({
    effectId: z.string(),
    referralId: z.string(),
    kind: z.string(),
    to: z.string(),
    status: z.enum(['failing', 'parked']),
    attempts: z.number(),
    failingSince: z.optional(z.string()),
    nextAttemptAt: z.optional(z.string()),
    lastError: z.optional(z.string()),
  });
  api.defineRoute(
    {
      method: 'get',
      path: '/dead-letters',
      security,
      request: { query: pageQuerySchema },
      responses: {
        200: json(
          z.object({
            items: z.array(z.object({ id: z.string(), receivedAt: z.string(), reason: z.string(), from: z.optional(z.string()), envelopeTo: z.array(z.string()), size: z.optional(z.number()), raw: z.optional(z.string()), rawRef: z.optional(z.string()) })),
            next: z.optional(z.string()),
            emails: z.array(failingEmailSchema),
          }),
          'Mail that could not be processed, newest first (kept 30 days), one page (`limit`, then `cursor` = `next`); `raw` is the message as received, or for a large one `rawRef` says where it is kept. `emails`: emails about referrals that are failing (retrying) or parked after a day of failures, oldest first',
        ),
        ...errors,
      },
    },
    async (c) => {
      const s = requireAdmin(c, 'see undelivered mail');
      const { limit, cursor } = c.req.valid('query');
      const deps = c.get('deps');
      const [page, failing] = await Promise.all([deps.store.listDeadLettersPage(s.group.id, { limit, after: cursor }, deps.clock.now()), deps.store.listFailingEmails(s.group.id)]);
      return c.json(
        {
          items: page.items.map(({ rawBase64, ...l }) => ({ ...l, ...(rawBase64 !== undefined ? { raw: Buffer.from(rawBase64, 'base64').toString('utf8') } : {}) })),
          ...(page.after ? { next: page.after } : {}),
          emails: failing.map((f) => ({
            effectId: f.effectId,
            referralId: f.referralId,
            kind: f.intent.kind,
            to: f.intent.to,
            status: f.status === 'parked' ? ('parked' as const) : ('failing' as const),
            attempts: f.attempts,
            failingSince: f.failingSince,
            nextAttemptAt: f.nextAttemptAt,
            lastError: f.lastError,
          })),
        },
        200,
      );
    },
  );

  return api;
}

/** Shared by the API and the web pages: maps a request's action onto the domain. */
export async function runAction(
  deps: RelayDeps,
  s: Session,
  referral: Referral,
  side: 'admin' | 'provider' | 'referrer',
  body: { action: string; amount?: number; currency?: string; text?: string; days?: number; provider?: string },
): Promise<Referral> {
  const input: ActionInput = { action: body.action as ActionInput['action'], amount: body.amount, currency: body.currency, text: body.text, days: body.days };
  if (body.action === 'reassign') {
    if (!body.provider) throw new ValidationError('reassign needs "provider"', { field: 'provider' });
    const provider = await resolveMember(deps, s.group.id, body.provider, 'provider', s.known);
    if (provider.status !== 'active') throw new DomainError('The new provider is not an active member', 'inactive_member', 422);
    input.providerId = provider.id;
  }
  const after = await performAction(deps, referral.id, input, { role: side satisfies ActorRole, actorId: s.member.id, via: s.via === 'api' ? 'api' : 'web' });
  // Erase means erase: the prospect's address also leaves the mail kept for admins.
  if (input.action === 'erase_prospect') await eraseProspectFromDeadLetters(deps, referral.groupId, referral.prospect);
  return after;
}
