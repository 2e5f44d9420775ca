/** My referrals (given / received / all), one referral with its timeline, and its actions. */
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, NotFoundError, RateLimitError } from '../../domain/errors.js';
import { STATUSES, type Group, type Member, type Referral, type Status } from '../../domain/types.js';
import { ACTION_RULES, offeredActions, type ActionName } from '../../referrals/core/rules.js';
import { INTRO_LINE_MAX } from '../../referrals/decide-action.js';
import { referralView, sideOf, type ReferralView } from '../../referrals/view.js';
import { membersById, runAction, visibleReferral } from '../api/routes.js';
import type { AppEnv, Session } from '../context.js';
import { formatDay, formatMoney, formatWhen, STATUS_LABEL, stepLabel, TEMPERATURES, VIA_LABEL } from './format.js';
import { parseActionForm } from './forms.js';
import { Layout, StatusBadge, type Flash } from './layout.js';
import { doneFlash, html, pageSession, readForm, seeOther, type PageContext } from './page-kit.js';

type Tab = 'given' | 'received' | 'all';
type Side = 'admin' | 'provider' | 'referrer';

const ID = /^[a-z0-9]{16}$/;

// ---- list ----

/** One collapsed group of actions on the referral page (works without JavaScript). */
function ActionPanel(props: { title: string; children?: Child }) {
  return (
    <details>
      <summary>{props.title}</summary>
      <div>{props.children}</div>
    </details>
  );
}

function ReferralListPage(props: { session: Session; tab: Tab; status?: Status; rows: Referral[]; members: Map<string, Member> }) {
  const { session, tab, status, rows, members } = props;
  const tz = session.group.timezone;
  const tabs: { key: Tab; label: string }[] = [
    { key: 'given', label: 'Given' },
    { key: 'received', label: 'Received' },
    ...(session.isAdmin ? [{ key: 'all' as const, label: 'All' }] : []),
  ];
  const href = (t: Tab) => `/referrals?tab=${t}${status ? `&status=${status}` : ''}`;
  const name = (id?: string) => (id ? (members.get(id)?.name ?? '(unknown)') : 'someone (still missing)');
  return (
    <Layout title="My referrals" session={session} nav="referrals">
      <h1>My referrals</h1>
      <ul class="tabs">
        {tabs.map((t) => (
          <li>
            <a href={href(t.key)} aria-current={tab === t.key ? 'page' : undefined}>
              {t.label}
            </a>
          </li>
        ))}
      </ul>
      <form class="filter" method="get" action="/referrals">
        <input type="hidden" name="tab" value={tab} />
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any status</option>
            {STATUSES.map((st) => (
              <option value={st} selected={status === st}>
                {STATUS_LABEL[st]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      {rows.length === 0 ? (
        <div class="card">
          <p>No referrals here yet.</p>
          <p>
            <a class="button" href="/refer">
              Refer someone
            </a>
          </p>
        </div>
      ) : (
        <ul class="rows">
          {rows.map((r) => (
            <li>
              <a href={`/referrals/${r.id}`}>
                <div class="row-top">
                  <strong>{r.prospect.name}</strong>
                  <StatusBadge status={r.status} />
                </div>
                <div class="muted">
                  {tab === 'given' ? `to ${name(r.providerId)}` : tab === 'received' ? `from ${name(r.referrerId)}` : `${name(r.referrerId)} → ${name(r.providerId)}`} · {formatDay(r.createdAt, tz)}
                </div>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

// ---- one referral ----

/** One action's form; its button label is the rule book's (core/rules.ts). */
const ActionForm = (props: { id: string; action: ActionName; kind?: 'secondary' | 'danger'; children?: Child }) => (
  <form method="post" action={`/referrals/${props.id}/actions`}>
    <input type="hidden" name="action" value={props.action} />
    {props.children}
    <div class="actions">
      <button type="submit" class={props.kind}>
        {ACTION_RULES[props.action].button}
      </button>
    </div>
  </form>
);

const TextField = (props: { id: string; label: string; required?: boolean; multiline?: boolean; hint?: string; value?: string; maxLength?: number }) => (
  <>
    <label for={props.id}>
      {props.label}
      {props.hint ? <span class="hint">{props.hint}</span> : null}
    </label>
    {props.multiline ? <textarea id={props.id} name="text" rows={3} maxlength={5000} required={props.required} /> : <input id={props.id} name="text" type="text" maxlength={props.maxLength ?? 5000} value={props.value} required={props.required} />}
  </>
);

/**
 * An admin who is also the referrer or the provider sees the actions of that role first, as their
 * own, and the admin-only ones apart below; anyone else sees one list.
 */
export function PartyAndAdminActions(props: { r: Referral; side: Side; group: Group; members: Map<string, Member>; memberId: string }) {
  const { r, side } = props;
  const party: Side | undefined = side !== 'admin' ? undefined : r.referrerId === props.memberId ? 'referrer' : r.providerId === props.memberId ? 'provider' : undefined;
  if (!party) return <Actions r={r} side={side} group={props.group} members={props.members} />;
  const own = offeredActions(party, r);
  const adminOnly = offeredActions('admin', r).filter((a) => !own.includes(a));
  return (
    <>
      <Actions r={r} side={party} group={props.group} members={props.members} only={own} heading={`Your actions as the ${party}`} />
      <Actions r={r} side="admin" group={props.group} members={props.members} only={adminOnly} heading="Admin actions" headingId="admin-actions-h" />
    </>
  );
}

/** The actions this side may take now: which ones is the rule book's (`offeredActions`); here only how they look. */
export function Actions(props: { r: Referral; side: Side; group: Group; members: Map<string, Member>; only?: readonly ActionName[]; heading?: string; headingId?: string }) {
  const { r, side, group, members } = props;
  const offered = new Set<ActionName>(props.only ?? offeredActions(side, r));
  if (offered.size === 0) return null;
  const headingId = props.headingId ?? 'actions-h';
  const may = (...actions: ActionName[]) => actions.some((a) => offered.has(a));
  const id = r.id;
  const newProviders = [...members.values()].filter((m) => m.status === 'active' && m.id !== r.referrerId && m.id !== r.providerId).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{props.heading ?? (side === 'admin' ? 'Actions (admin)' : 'Your actions')}</h2>
      {may('contacted', 'met', 'proposal') ? (
        <div class="card">
          <h3>Quick update</h3>
          <p class="muted">Each is also a reply word in the emails.</p>
          <div class="actions">
            {may('contacted') ? <ActionForm id={id} action="contacted" kind="secondary" /> : null}
            {may('met') ? <ActionForm id={id} action="met" kind="secondary" /> : null}
            {may('proposal') ? <ActionForm id={id} action="proposal" kind="secondary" /> : null}
          </div>
        </div>
      ) : null}
      {may('won') ? (
        <ActionPanel title="Won the business">
          <ActionForm id={id} action="won">
            <div class="grid2">
              <div>
                <label for="won-amount">
                  Amount <span class="hint">Optional: the value of the business (TYFCB).</span>
                </label>
                <input id="won-amount" name="amount" type="text" inputmode="decimal" maxlength={20} />
              </div>
              <div>
                <label for="won-currency">Currency</label>
                <input id="won-currency" name="currency" type="text" value={group.currency} maxlength={3} />
              </div>
            </div>
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('lost') ? (
        <ActionPanel title="Lost it">
          <ActionForm id={id} action="lost">
            <TextField id="lost-text" label="Why was it lost?" hint="The referrer always hears the reason." required multiline />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('pass') ? (
        <ActionPanel title="Pass it on">
          <ActionForm id={id} action="pass">
            <TextField id="pass-text" label="Who would be better, and why?" required multiline />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('thanks', 'thanked') ? (
        <ActionPanel title="Thank the referrer">
          <ActionForm id={id} action="thanks">
            <TextField id="thanks-text" label="Your words" hint="Passed on to the referrer as you write them." required multiline />
          </ActionForm>
          <ActionForm id={id} action="thanked" kind="secondary" />
        </ActionPanel>
      ) : null}
      {may('snooze') ? (
        <ActionPanel title="Snooze progress requests">
          <ActionForm id={id} action="snooze">
            <label for="snooze-days">Days until the next progress request</label>
            <input id="snooze-days" name="days" type="number" min={1} max={90} value="14" required />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('good', 'poor') ? (
        <ActionPanel title="Was this a good referral?">
          <ActionForm id={id} action="good">
            <TextField id="good-text" label="Anything to add? (optional)" />
          </ActionForm>
          <ActionForm id={id} action="poor" kind="secondary">
            <TextField id="poor-text" label="Why was it a poor fit?" hint="Helps the referrer send better ones." required />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('share') ? (
        <ActionPanel title="Share the closed value">
          <p class="muted">The referrer sees the amount only if you share it.</p>
          <ActionForm id={id} action="share" kind="secondary" />
        </ActionPanel>
      ) : null}
      {may('no_intro') ? (
        <ActionPanel title="No introduction email">
          <p class="muted">The prospect will not be emailed; the provider waits for them to get in touch.</p>
          <ActionForm id={id} action="no_intro" kind="secondary" />
        </ActionPanel>
      ) : null}
      {may('intro_line') ? (
        <ActionPanel title="A line for the prospect">
          <ActionForm id={id} action="intro_line">
            <TextField
              id="intro-line-text"
              label={`Your words about ${members.get(r.providerId ?? '')?.name ?? 'the provider'} for ${r.prospect.name}`}
              hint="One line, shown in the introduction; the need and your note stay with the provider."
              value={r.introLine ?? ''}
              maxLength={INTRO_LINE_MAX}
              required
            />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('ask') ? (
        <ActionPanel title={side === 'referrer' ? 'Ask the provider' : 'Ask the referrer'}>
          <ActionForm id={id} action="ask">
            <TextField id="ask-text" label="Your question" required multiline />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('note') ? (
        <ActionPanel title="Private note">
          <ActionForm id={id} action="note">
            <TextField id="note-text" label="Note" hint={side === 'admin' ? 'Seen by the provider and admins.' : 'Seen only by you (your side) and admins.'} required multiline />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('reassign') ? (
        <ActionPanel title="Reassign to another member">
          <ActionForm id={id} action="reassign">
            <label for="reassign-provider">New provider</label>
            <select id="reassign-provider" name="provider" required>
              <option value="">Choose a member…</option>
              {newProviders.map((m) => (
                <option value={m.id}>{m.name}</option>
              ))}
            </select>
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('reopen') ? (
        <ActionPanel title="Reopen">
          <ActionForm id={id} action="reopen">
            <TextField id="reopen-text" label="Why reopen it?" required />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('withdraw') ? (
        <ActionPanel title="Withdraw the referral">
          <ActionForm id={id} action="withdraw" kind="danger">
            <TextField id="withdraw-text" label="Reason (optional, the provider sees it)" />
          </ActionForm>
        </ActionPanel>
      ) : null}
      {may('erase_prospect') ? (
        <ActionPanel title="Erase the prospect’s details">
          <p class="muted">On the prospect’s request: name, email and phone are removed and the timeline texts scrubbed. This cannot be undone.</p>
          <ActionForm id={id} action="erase_prospect" kind="danger" />
        </ActionPanel>
      ) : null}
    </section>
  );
}

function ReferralPage(props: { session: Session; group: Group; r: Referral; view: ReferralView; side: Side; members: Map<string, Member>; flash?: Flash; timelineNext?: string; timelinePaged?: boolean }) {
  const { session, group, r, view, side, members } = props;
  const tz = group.timezone;
  const temperature = TEMPERATURES.find((t) => t.value === view.temperature);
  const actorName = (actor: string) => {
    if (actor === 'prospect') return `${view.prospect.name} (prospect)`;
    if (actor === 'system') return 'Referral Relay';
    const id = actor.startsWith('admin:') ? actor.slice(6) : actor;
    const m = members.get(id);
    return m ? m.name : actor;
  };
  return (
    <Layout title={`Referral: ${view.prospect.name}`} session={session} nav="referrals" flash={props.flash}>
      <p>
        <a href="/referrals">← My referrals</a>
      </p>
      <h1>
        {view.prospect.name} <StatusBadge status={view.status} />
      </h1>
      {view.prospectBounced ? <div class="flash error">Email to the prospect bounced: their address may be wrong.</div> : null}
      {view.needsInfo ? <div class="flash error">Still missing: {view.needsInfo.missing.join(', ')}. Reply to the question email to complete it.</div> : null}
      <div class="card">
        <dl class="facts">
          <dt>Referrer</dt>
          <dd>{view.referrer?.name ?? '—'}</dd>
          <dt>Provider</dt>
          <dd>{view.provider?.name ?? 'still missing'}</dd>
          <dt>Logged</dt>
          <dd>
            {formatWhen(view.createdAt, tz)} (via {VIA_LABEL[view.source] ?? view.source})
          </dd>
          <dt>Prospect</dt>
          <dd>{view.prospect.name}</dd>
          {view.prospect.company ? (
            <>
              <dt>Company</dt>
              <dd>{view.prospect.company}</dd>
            </>
          ) : null}
          {view.prospect.email ? (
            <>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${view.prospect.email}`}>{view.prospect.email}</a>
              </dd>
            </>
          ) : null}
          {view.prospect.phone ? (
            <>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${view.prospect.phone.replace(/[^+0-9]/g, '')}`}>{view.prospect.phone}</a>
              </dd>
            </>
          ) : null}
          <dt>Need</dt>
          <dd>{view.need}</dd>
          <dt>Temperature</dt>
          <dd>{temperature ? `${temperature.value} · ${temperature.title}` : 'not given'}</dd>
          <dt>Consent</dt>
          <dd>{view.consent ? 'Yes: the prospect agreed to be contacted' : 'No: the prospect is not emailed'}</dd>
          {view.note ? (
            <>
              <dt>Note</dt>
              <dd>{view.note}</dd>
            </>
          ) : null}
          {view.closedValue ? (
            <>
              <dt>Closed value</dt>
              <dd>{formatMoney(view.closedValue.amount, view.closedValue.currency)}</dd>
            </>
          ) : null}
          {view.lostReason ? (
            <>
              <dt>Lost because</dt>
              <dd>{view.lostReason}</dd>
            </>
          ) : null}
        </dl>
      </div>

      <PartyAndAdminActions r={r} side={side} group={group} members={members} memberId={session.member.id} />

      <h2>Coming up</h2>
      {view.pending.length === 0 ? (
        <p class="muted">Nothing scheduled.</p>
      ) : (
        <ul class="card pending">
          {[...view.pending]
            .sort((a, b) => a.due.localeCompare(b.due))
            .map((p) => (
              <li>
                {stepLabel(p.kind)} · <span class="muted">{formatWhen(p.due, tz)}</span>
              </li>
            ))}
        </ul>
      )}

      <h2>Timeline</h2>
      <ol class="timeline">
        {view.timeline.map((e) => (
          <li>
            <div class="muted">
              {formatWhen(e.at, tz)} · {actorName(e.actor)} · {VIA_LABEL[e.via] ?? e.via}
            </div>
            <div>{e.type === 'email' && e.kind && !e.delivery ? `${stepLabel(e.kind)}${e.to ? ` (to ${e.to})` : ''}${e.text ? `: ${e.text}` : ''}` : e.text}</div>
            {e.privateText ? <div class="private">Private: {e.privateText}</div> : null}
          </li>
        ))}
      </ol>
      {props.timelinePaged ? (
        <p>
          <a href={`/referrals/${r.id}`}>First events</a>
        </p>
      ) : null}
      {props.timelineNext ? (
        <p>
          <a href={`/referrals/${r.id}?after=${encodeURIComponent(props.timelineNext)}`}>Later events →</a>
        </p>
      ) : null}
      <p class="muted">Times are in {tz}.</p>
    </Layout>
  );
}

async function renderReferral(c: PageContext, s: Session, id: string, opts: { flash?: Flash; status?: ContentfulStatusCode } = {}) {
  const deps = c.get('deps');
  if (!ID.test(id)) throw new NotFoundError('referral');
  // The timeline is shown 100 events a page (a busy referral's history is unbounded).
  const askedAfter = c.req.query('after');
  const after = askedAfter && /^EV#\d{10}(#\d{9}#\d{2})?$/.test(askedAfter) ? askedAfter : undefined;
  const { referral, side, next } = await visibleReferral(deps, s, id, { after });
  const group = (await deps.store.getGroup(s.group.id)) ?? s.group;
  const members = await membersById(deps, s.group.id);
  const view = referralView(referral, side, members);
  return html(
    c,
    <ReferralPage session={s} group={group} r={referral} view={view} side={side} members={members} flash={opts.flash ?? doneFlash(c)} timelineNext={next} timelinePaged={!!after} />,
    opts.status ?? 200,
  );
}

export function registerReferralPages(pages: Hono<AppEnv>) {
  pages.get('/referrals', async (c) => {
    const s = pageSession(c);
    const deps = c.get('deps');
    const asked = c.req.query('tab');
    const tab: Tab = asked === 'received' ? 'received' : asked === 'all' && s.isAdmin ? 'all' : 'given';
    const askedStatus = c.req.query('status');
    const status = STATUSES.find((st) => st === askedStatus);
    const list =
      tab === 'given' ? await deps.store.listReferrals({ givenBy: s.member.id }) : tab === 'received' ? await deps.store.listReferrals({ receivedBy: s.member.id }) : await deps.store.listReferrals({ groupId: s.group.id });
    const rows = list.filter((r) => (!status || r.status === status) && sideOf(r, s) !== 'none').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return html(c, <ReferralListPage session={s} tab={tab} status={status} rows={rows} members={await membersById(deps, s.group.id)} />);
  });

  pages.get('/referrals/:id', (c) => renderReferral(c, pageSession(c), c.req.param('id')));

  pages.post('/referrals/:id/actions', async (c) => {
    const s = pageSession(c);
    const deps = c.get('deps');
    const id = c.req.param('id');
    if (!ID.test(id)) throw new NotFoundError('referral');
    const { referral, side } = await visibleReferral(deps, s, id);
    const parsed = parseActionForm((await readForm(c)).values());
    if (!parsed.ok) return renderReferral(c, s, id, { flash: { kind: 'error', text: Object.values(parsed.errors)[0] ?? 'Check the form' }, status: 422 });
    try {
      await deps.limits.take('actions', s.member.id);
      await runAction(deps, s, referral, side, parsed.value);
    } catch (err) {
      if (err instanceof RateLimitError) c.header('Retry-After', String(err.retryAfterSeconds));
      if (err instanceof DomainError && err.status !== 401 && err.status !== 404) {
        return renderReferral(c, s, id, { flash: { kind: 'error', text: err.message }, status: err.status });
      }
      throw err;
    }
    return seeOther(c, `/referrals/${id}?done=${parsed.value.action}`);
  });
}
