/**
 * The report surface. `reportApiRoutes()` is mounted inside /api (see api/openapi-kit.ts), `reportPageRoutes()`
 * at the root with the other pages:
 *
 *   GET  /api/reports/summary?from=&to=&period=   JSON (CONTRACT.md)
 *   GET  /api/reports/summary.csv?…                 the same rows as CSV
 *   POST /api/campaigns {startsOn, endsOn}          admin: start (or move) a referral month
 *   POST /api/members/:id/flag {note}               admin: flag for a conversation ('' clears)
 *   POST /api/members/:id/remove                    admin: remove; referrers of open referrals told
 *   GET  /reports                                   the page; POST /reports/campaign,
 *   POST /reports/members/:id/flag|remove           its forms (admin, signed-in browser)
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as z from '../../config/zod.js';
import { DomainError, NotFoundError, UnauthorizedError, ValidationError } from '../../domain/errors.js';
import type { Member } from '../../domain/types.js';
import { reactivateMember, revokeApiKeys, rotateApiKey } from '../../members/credentials.js';
import { flagMember, removeMember } from '../../members/removal.js';
import type { RelayDeps } from '../../referrals/deps.js';
import { memberView } from '../../referrals/view.js';
import { campaignSchema, setCampaign } from '../../reports/campaign.js';
import { summaryCsv, summaryCsvFilename } from '../../reports/csv.js';
import { reportQuerySchema, resolvePeriod, type ReportQuery } from '../../reports/period.js';
import { buildSummary } from '../../reports/summary.js';
import { apiRouter, errors, invalid, issuesOf, json, security, type Issue } from '../api/openapi-kit.js';
import { requireAdmin, requireSession } from '../auth.js';
import type { AppEnv, Session } from '../context.js';
import { MessagePage, type FieldErrors, type Flash } from '../pages/layout.js';
import { adminSession, html, pageSession, readForm, seeOther, type PageContext } from '../pages/page-kit.js';
import { buildReportView, loadGroupData } from './report-data.js';
import { ReportPage, type PeriodFormValues } from './report-page.js';
import { campaignResponseSchema, flagBodySchema, memberIdParamSchema, removalSchema, summarySchema } from './schemas.js';


/** A member of the caller's group, or 404 (other groups' ids are never revealed). */
async function memberOfGroup(deps: RelayDeps, session: Session, id: string): Promise<Member> {
  const member = await deps.store.getMember(id);
  if (!member || member.groupId !== session.group.id) throw new NotFoundError('member');
  return member;
}

/** The summary the caller may see, for the period of the query. */
async function summaryFor(deps: RelayDeps, session: Session, query: ReportQuery) {
  const period = resolvePeriod(query, session.group.timezone, deps.clock.now());
  const { members, referrals } = await loadGroupData(deps, session.group.id);
  const summary = buildSummary({ group: session.group, members, referrals, from: period.from, to: period.to, viewer: { memberId: session.member.id, isAdmin: session.isAdmin }, now: deps.clock.now() });
  return { period, summary };
}

/** JSON API: mount inside /api with `api.include(reportApiRoutes())`. */
export function reportApiRoutes() {
  const api = apiRouter();

  api.defineRoute(
    {
      method: 'get',
      path: '/reports/summary',
      security,
      summary: 'Given, received, won, lost, closed value and first-contact times per member',
      request: { query: reportQuerySchema },
      responses: { 200: json(summarySchema, 'Admin: every member; member: only their own row, plus totals'), ...errors },
    },
    async (c) => {
      const s = requireSession(c);
      const { summary } = await summaryFor(c.get('deps'), s, c.req.valid('query'));
      return c.json(summary, 200);
    },
  );

  api.defineRoute(
    {
      method: 'get',
      path: '/reports/summary.csv',
      security,
      summary: 'The same rows as CSV, with a TOTAL row',
      request: { query: reportQuerySchema },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'RFC 4180 CSV, UTF-8 with a byte-order mark' }, ...errors },
    },
    async (c) => {
      const s = requireSession(c);
      const { period, summary } = await summaryFor(c.get('deps'), s, c.req.valid('query'));
      const filename = summaryCsvFilename(s.group.slug, period.from, period.to);
      return c.body(summaryCsv(summary), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      });
    },
  );

  api.defineRoute(
    {
      method: 'post',
      path: '/campaigns',
      security,
      summary: 'Admin: start (or move) the group\u2019s referral month',
      request: { body: campaignSchema },
      responses: { 201: json(campaignResponseSchema, 'Saved; weekly asks go out with the digest while it runs'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'start a referral month');
      const group = await setCampaign(c.get('deps'), s.group.id, c.req.valid('json'));
      return c.json({ campaign: group.campaign }, 201);
    },
  );

  api.defineRoute(
    {
      method: 'post',
      path: '/members/{id}/flag',
      security,
      summary: 'Admin: flag a member for a conversation (an empty note clears it)',
      request: { params: memberIdParamSchema, body: flagBodySchema },
      responses: { 200: json(z.looseObject({ id: z.string(), flagged: z.optional(z.string()) }), 'The member, as admins see it'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'flag members');
      const deps = c.get('deps');
      const target = await memberOfGroup(deps, s, c.req.valid('param').id);
      const member = await flagMember(deps, target.id, c.req.valid('json').note);
      return c.json(memberView(member, { self: member.id === s.member.id, admin: true }), 200);
    },
  );

  api.defineRoute(
    {
      method: 'post',
      path: '/members/{id}/remove',
      security,
      summary: 'Admin: remove a member; referrers of their open referrals are told',
      request: { params: memberIdParamSchema },
      responses: { 200: json(removalSchema, 'Removed (again: finishes what was left)'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'remove members');
      const deps = c.get('deps');
      const target = await memberOfGroup(deps, s, c.req.valid('param').id);
      const result = await removeMember(deps, target.id, { adminId: s.member.id });
      return c.json({ member: memberView(result.member, { self: false, admin: true }), notifiedReferrals: result.notified }, 200);
    },
  );

  const keyAnswer = z.object({ memberId: z.string(), apiKey: z.string() });
  api.defineRoute(
    {
      method: 'post',
      path: '/members/{id}/api-key',
      security,
      summary: 'Admin: rotate a member\'s API key (every old key stops working; the new one is shown once)',
      request: { params: memberIdParamSchema },
      responses: { 200: json(keyAnswer, 'The new key'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'rotate API keys');
      const deps = c.get('deps');
      const target = await memberOfGroup(deps, s, c.req.valid('param').id);
      const { member, apiKey } = await rotateApiKey(deps, target.id);
      return c.json({ memberId: member.id, apiKey }, 200);
    },
  );

  api.defineRoute(
    {
      method: 'delete',
      path: '/members/{id}/api-key',
      security,
      summary: 'Admin: revoke every API key of a member',
      request: { params: memberIdParamSchema },
      responses: { 200: json(z.object({ memberId: z.string(), revoked: z.literal(true) }), 'Revoked'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'revoke API keys');
      const deps = c.get('deps');
      const target = await memberOfGroup(deps, s, c.req.valid('param').id);
      await revokeApiKeys(deps, target.id);
      return c.json({ memberId: target.id, revoked: true as const }, 200);
    },
  );

  api.defineRoute(
    {
      method: 'post',
      path: '/members/{id}/reactivate',
      security,
      summary: 'Admin: bring a removed member back (active again, with a new API key shown once)',
      request: { params: memberIdParamSchema },
      responses: { 200: json(z.object({ member: z.looseObject({ id: z.string(), status: z.string() }), apiKey: z.optional(z.string()) }), 'Active'), ...errors },
    },
    async (c) => {
      const s = requireAdmin(c, 'reactivate members');
      const deps = c.get('deps');
      const target = await memberOfGroup(deps, s, c.req.valid('param').id);
      const { member, apiKey } = await reactivateMember(deps, target.id);
      return c.json({ member: memberView(member, { self: false, admin: true }), ...(apiKey ? { apiKey } : {}) }, 200);
    },
  );

  return api;
}

// ---- pages ----------------------------------------------------------------------------------------

const DONE: Record<string, string> = {
  campaign: 'Referral month saved: the weekly asks go out with the digest while it runs.',
  flagged: 'Flag saved.',
  unflagged: 'Flag cleared.',
  removed: 'Member removed. The referrers of their open referrals have been told and can choose another provider.',
};

const TITLES: Partial<Record<number, string>> = { 403: 'Not allowed', 404: 'Not found', 409: 'That clashes with something', 422: 'Please check that' };

/** The period fields of the page's GET form: "custom" (or any date) means from/to. */
function periodValues(c: PageContext): PeriodFormValues {
  const from = c.req.query('from')?.trim() || undefined;
  const to = c.req.query('to')?.trim() || undefined;
  const period = c.req.query('period')?.trim() || undefined;
  return from || to || period === 'custom' ? { from, to } : { period };
}

const fieldErrors = (issues: Issue[]): FieldErrors => Object.fromEntries(issues.map((i) => [i.path.split('.')[0] || 'period', i.message]));

async function renderReport(
  c: PageContext,
  session: Session,
  extra: { flash?: Flash; campaign?: { values?: { startsOn?: string; endsOn?: string }; errors?: FieldErrors }; status?: 200 | 422 } = {},
) {
  const deps = c.get('deps');
  const values = periodValues(c);
  const parsed = reportQuerySchema.safeParse(values);
  const periodErrors = parsed.success ? undefined : fieldErrors(issuesOf(parsed.error));
  const now = deps.clock.now();
  // A bad period still shows a page: this month, with the fields marked.
  const period = resolvePeriod(parsed.success ? parsed.data : {}, session.group.timezone, now);
  const group = (await deps.store.getGroup(session.group.id)) ?? session.group;
  const { members, referrals } = await loadGroupData(deps, group.id);
  const view = buildReportView(group, members, referrals, period, { memberId: session.member.id, isAdmin: session.isAdmin }, now);
  const code = c.req.query('done');
  const flash = extra.flash ?? (periodErrors ? { kind: 'error' as const, text: 'That period could not be shown; here is this month instead.' } : code && DONE[code] ? { kind: 'ok' as const, text: DONE[code]! } : undefined);
  return html(
    c,
    <ReportPage session={session} view={view} now={now} values={values} flash={flash} periodErrors={periodErrors} campaign={extra.campaign} />,
    extra.status ?? (periodErrors ? 422 : 200),
  );
}

/** The report page and its admin forms: mount at the root with `app.route('/', reportPageRoutes())`. */
export function reportPageRoutes() {
  const pages = new Hono<AppEnv>();

  pages.get('/reports', (c) => renderReport(c, pageSession(c)));

  pages.post('/reports/campaign', async (c) => {
    const s = adminSession(c);
    const form = await readForm(c);
    const values = { startsOn: form.get('startsOn').trim(), endsOn: form.get('endsOn').trim() };
    const parsed = campaignSchema.safeParse(values);
    try {
      if (!parsed.success) throw invalid(issuesOf(parsed.error));
      await setCampaign(c.get('deps'), s.group.id, parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const issues = Array.isArray(err.details) ? (err.details as Issue[]) : [{ path: 'startsOn', message: err.message }];
      return renderReport(c, s, { status: 422, flash: { kind: 'error', text: 'The referral month was not saved: please check the dates.' }, campaign: { values, errors: fieldErrors(issues) } });
    }
    return seeOther(c, '/reports?done=campaign#campaign');
  });

  pages.post('/reports/members/:id/flag', async (c) => {
    const s = adminSession(c);
    const deps = c.get('deps');
    const target = await memberOfGroup(deps, s, c.req.param('id'));
    const note = (await readForm(c)).get('note').slice(0, 1000);
    await flagMember(deps, target.id, note);
    return seeOther(c, `/reports?done=${note.trim() ? 'flagged' : 'unflagged'}#hygiene`);
  });

  pages.post('/reports/members/:id/remove', async (c) => {
    const s = adminSession(c);
    const deps = c.get('deps');
    const target = await memberOfGroup(deps, s, c.req.param('id'));
    if ((await readForm(c)).get('confirm') !== 'yes') throw new ValidationError('Tick the box to confirm the removal');
    await removeMember(deps, target.id, { adminId: s.member.id });
    return seeOther(c, '/reports?done=removed#hygiene');
  });

  // Pages answer in HTML: no session → the sign-in page; a domain error → a message page.
  pages.onError((err, c) => {
    const session = c.get('session');
    if (err instanceof UnauthorizedError) return seeOther(c, '/signin');
    if (err instanceof DomainError) {
      const text = err.status === 404 ? 'There is nothing here, or it is not yours to see.' : err.message;
      return html(c, <MessagePage title={TITLES[err.status] ?? 'That did not work'} session={session} text={text} link={{ href: '/reports', label: 'Back to the report' }} />, err.status);
    }
    if (err instanceof HTTPException) return err.getResponse();
    c.get('deps').log.error('report page failed', { path: c.req.path, err: String((err as Error).stack ?? err) });
    return html(c, <MessagePage title="Something went wrong" session={session} text="Something went wrong on our side. Please try again in a moment." />, 500);
  });

  return pages;
}
