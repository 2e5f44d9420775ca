/**
 * The group report page (/reports): period picker, the members table and totals, the pictures with
 * their table alternatives, the viewer's goal and give-and-take, and for admins the provider
 * scorecard (flag / remove) and the referral-month form. Server-rendered; works without JavaScript.
 */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Money } from '../../domain/types.js';
import type { ProviderScore } from '../../reports/scorecard.js';
import type { Chart } from '../../reports/svg/xml.js';
import type { Session } from '../context.js';
import { formatMoney } from '../pages/format.js';
import { FieldError, Layout, ScrollRegion, type FieldErrors, type Flash } from '../pages/layout.js';
import { GoalProgress } from './goal-progress.js';
import { ReciprocityPanel } from './reciprocity-panel.js';
import type { ReportView } from './report-data.js';

export interface PeriodFormValues {
  period?: string;
  from?: string;
  to?: string;
}

const money = (values: readonly Money[]) => (values.length === 0 ? '–' : values.map((v) => formatMoney(v.amount, v.currency)).join(', '));
const hours = (h: number | null) => (h === null ? '–' : `${h} h`);
const share = (s: number | null) => (s === null ? '–' : `${Math.round(s * 100)}%`);

/** A picture, its table alternative in a <details>, as a <figure>. */
export function ChartFigure(props: { chart: Chart; heading: string; caption: string }) {
  const { chart } = props;
  return (
    <figure class="card chart" style="margin:0 0 .75rem">
      <h3>{props.heading}</h3>
      <ScrollRegion label={`${props.heading} (picture, scrolls sideways)`}>{raw(chart.svg)}</ScrollRegion>
      <figcaption class="muted">{props.caption}</figcaption>
      <details style="margin-top:.5rem">
        <summary>{chart.table.caption}: the numbers as a table</summary>
        <ScrollRegion label={`${chart.table.caption}: the numbers as a table (scrolls sideways)`}>
          <table>
            <thead>
              <tr>
                {chart.table.head.map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.table.rows.length === 0 ? (
                <tr>
                  <td colspan={chart.table.head.length}>Nothing in this period.</td>
                </tr>
              ) : (
                chart.table.rows.map((row) => (
                  <tr>
                    {row.map((cell, i) => (i === 0 ? <th scope="row">{String(cell)}</th> : <td>{String(cell)}</td>))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
    </figure>
  );
}

function PeriodForm(props: { values: PeriodFormValues; errors?: FieldErrors }) {
  const v = props.values;
  const selected = v.from ? 'custom' : (v.period ?? 'this_month');
  const dateStyle = 'font:inherit;padding:.5rem;min-height:44px;border:1px solid #aab2bb;border-radius:8px';
  return (
    <form method="get" action="/reports" class="filter" aria-label="Report period">
      <div>
        <label for="period">Period</label>
        <select id="period" name="period">
          <option value="this_week" selected={selected === 'this_week'}>This week</option>
          <option value="this_month" selected={selected === 'this_month'}>This month</option>
          <option value="this_quarter" selected={selected === 'this_quarter'}>This quarter</option>
          <option value="custom" selected={selected === 'custom'}>From – to (below)</option>
        </select>
      </div>
      <div class={props.errors?.from ? 'invalid' : undefined}>
        <label for="from">From</label>
        <input id="from" name="from" type="date" value={v.from ?? ''} style={dateStyle} aria-describedby={props.errors?.from ? 'from-error' : undefined} />
        <FieldError errors={props.errors} name="from" />
      </div>
      <div class={props.errors?.to ? 'invalid' : undefined}>
        <label for="to">To (not included)</label>
        <input id="to" name="to" type="date" value={v.to ?? ''} style={dateStyle} aria-describedby={props.errors?.to ? 'to-error' : undefined} />
        <FieldError errors={props.errors} name="to" />
      </div>
      <div>
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

function SummaryTable(props: { view: ReportView; isAdmin: boolean }) {
  const { summary } = props.view;
  const t = summary.totals;
  return (
    <ScrollRegion label="Members table (scrolls sideways)">
      <table class="summary">
        <caption class="muted" style="text-align:left;caption-side:top;padding:.25rem 0">
          {props.isAdmin ? 'Every member' : 'Your row, and the whole group'}; counted by the day each referral was logged
        </caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Given</th>
            <th scope="col">Received</th>
            <th scope="col">Won</th>
            <th scope="col">Lost</th>
            <th scope="col">Closed value (referred)</th>
            <th scope="col">Median time to first contact</th>
            <th scope="col">Thanked within a day</th>
            <th scope="col">Conversion</th>
          </tr>
        </thead>
        <tbody>
          {summary.members.map((m) => (
            <tr>
              <th scope="row">
                {m.name}
                {m.status === 'removed' ? <span class="muted"> (removed)</span> : null}
              </th>
              <td>{m.given}</td>
              <td>{m.received}</td>
              <td>{m.won}</td>
              <td>{m.lost}</td>
              <td>{money(m.closedValue)}</td>
              <td>{hours(m.medianHoursToFirstContact)}</td>
              <td>{share(m.thankedWithinDayShare)}</td>
              <td>{share(m.conversion)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Whole group</th>
            <td>{t.given}</td>
            <td>{t.given}</td>
            <td>{t.won}</td>
            <td>{t.lost}</td>
            <td>{money(t.closedValue)}</td>
            <td>{hours(t.medianHoursToFirstContact)}</td>
            <td>{share(t.thankedWithinDayShare)}</td>
            <td>{share(t.conversion)}</td>
          </tr>
        </tfoot>
      </table>
    </ScrollRegion>
  );
}

function Scorecard(props: { rows: ProviderScore[]; selfId: string }) {
  return (
    <section aria-labelledby="hygiene" id="hygiene-section">
      <h2 id="hygiene">Provider scorecard (admins only)</h2>
      <p class="muted">How each member treats the referrals they receive in this period, slowest first contact first. Flag someone for a conversation, or remove them: the referrers of their open referrals are told and can choose another provider.</p>
      {props.rows.length === 0 ? (
        <p>No member received referrals in this period.</p>
      ) : (
        props.rows.map((s) => (
          <details class="scorecard">
            <summary>
              {s.name}
              {s.status === 'removed' ? ' (removed)' : ''}
              {s.flagged ? ' · flagged' : ''}: {s.received} received, first contact {hours(s.medianHoursToFirstContact)}, thanked {share(s.thankedShare)}
              {s.averageRating !== null ? `, rated ${s.averageRating}/5` : ''}
            </summary>
            <div>
              <dl class="facts">
                <dt>Received</dt>
                <dd>{s.received}</dd>
                <dt>Waiting for first contact</dt>
                <dd>{s.waiting}</dd>
                <dt>Median time to first contact</dt>
                <dd>{hours(s.medianHoursToFirstContact)}</dd>
                <dt>Thanked the referrer</dt>
                <dd>{share(s.thankedShare)}</dd>
                <dt>Prospects' ratings</dt>
                <dd>{s.ratings.length === 0 ? 'none yet' : `${s.ratings.join(', ')} (average ${s.averageRating}/5)`}</dd>
                <dt>Their view of the referrals</dt>
                <dd>
                  {s.good} good, {s.poor} poor
                </dd>
                <dt>Lost, and why</dt>
                <dd>{s.lostReasons.length === 0 ? 'none' : s.lostReasons.join('; ')}</dd>
                {s.flagged ? (
                  <>
                    <dt>Flag</dt>
                    <dd>{s.flagged}</dd>
                  </>
                ) : null}
              </dl>
              {s.status === 'active' ? (
                <>
                  <form method="post" action={`/reports/members/${s.memberId}/flag`}>
                    <label for={`flag-${s.memberId}`}>Note for a conversation (empty clears the flag)</label>
                    <input id={`flag-${s.memberId}`} name="note" type="text" maxlength={1000} value={s.flagged ?? ''} />
                    <div class="actions">
                      <button type="submit" class="secondary">
                        Save flag
                      </button>
                    </div>
                  </form>
                  {s.memberId === props.selfId ? null : (
                    <form method="post" action={`/reports/members/${s.memberId}/remove`}>
                      <label class="choice">
                        <input type="checkbox" name="confirm" value="yes" required /> Yes, remove {s.name} from the group
                      </label>
                      <div class="actions">
                        <button type="submit" class="danger">
                          Remove member
                        </button>
                      </div>
                    </form>
                  )}
                </>
              ) : null}
            </div>
          </details>
        ))
      )}
    </section>
  );
}

function CampaignForm(props: { view: ReportView; values?: { startsOn?: string; endsOn?: string }; errors?: FieldErrors }) {
  const current = props.view.group.campaign;
  const values = props.values ?? current ?? {};
  const dateStyle = 'font:inherit;padding:.5rem;min-height:44px;border:1px solid #aab2bb;border-radius:8px';
  return (
    <section aria-labelledby="campaign" class="card">
      <h2 id="campaign" style="margin-top:0">
        Referral month
      </h2>
      <p>
        {current
          ? `A referral month runs from ${current.startsOn} to ${current.endsOn}. `
          : 'No referral month is planned. '}
        While it runs, every member gets a weekly email with two or three other members' "good referral for me" profiles, sent with the digest; they log referrals by replying.
      </p>
      <form method="post" action="/reports/campaign" class="filter">
        <div class={props.errors?.startsOn ? 'invalid' : undefined}>
          <label for="startsOn">Starts on</label>
          <input id="startsOn" name="startsOn" type="date" required value={values.startsOn ?? ''} style={dateStyle} />
          <FieldError errors={props.errors} name="startsOn" />
        </div>
        <div class={props.errors?.endsOn ? 'invalid' : undefined}>
          <label for="endsOn">Ends on</label>
          <input id="endsOn" name="endsOn" type="date" required value={values.endsOn ?? ''} style={dateStyle} />
          <FieldError errors={props.errors} name="endsOn" />
        </div>
        <div>
          <button type="submit">{current ? 'Change the dates' : 'Start a referral month'}</button>
        </div>
      </form>
    </section>
  );
}

const WIDE = 'main{max-width:1100px}figure.chart svg{display:block}table.summary td{white-space:nowrap}';

export interface ReportPageProps {
  session: Session;
  view: ReportView;
  now: Date;
  values: PeriodFormValues;
  flash?: Flash;
  periodErrors?: FieldErrors;
  campaign?: { values?: { startsOn?: string; endsOn?: string }; errors?: FieldErrors };
}

export function ReportPage(props: ReportPageProps): Child {
  const { session, view } = props;
  const isAdmin = session.isAdmin;
  const csvHref = `/api/reports/summary.csv?from=${view.period.from}&to=${view.period.to}`;
  return (
    <Layout title="Group report" session={session} nav="reports" flash={props.flash}>
      {/* A constant: tables and pictures get more room on wide screens than the 720px text column. */}
      <style>{raw(WIDE)}</style>
      <h1>Group report</h1>
      <p class="muted">
        {view.group.name} · {view.period.label} · times in {view.group.timezone}
      </p>
      <PeriodForm values={props.values} errors={props.periodErrors} />
      <GoalProgress member={session.member} referrals={view.referrals} timezone={view.group.timezone} now={props.now} />

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <SummaryTable view={view} isAdmin={isAdmin} />
        <p>
          <a href={csvHref} download>
            Download as CSV
          </a>
        </p>
      </section>

      <section aria-labelledby="pictures-heading">
        <h2 id="pictures-heading">Pictures</h2>
        <ChartFigure
          chart={view.charts.matrix}
          heading={isAdmin ? 'Who refers whom' : 'Who you refer, and who refers you'}
          caption={isAdmin ? 'Rows give, columns receive. Members who refer each other are placed next to each other.' : 'Who you refer, and who refers you.'}
        />
        <ChartFigure chart={view.charts.weekly} heading="Referrals per week" caption="Referrals given each week, and how many of them were won." />
        <ChartFigure chart={view.charts.firstContact} heading="Time to first contact" caption="How long providers took to make first contact." />
      </section>

      <ReciprocityPanel memberId={session.member.id} members={view.members} referrals={view.referrals} self />

      {isAdmin && view.scorecard ? <Scorecard rows={view.scorecard} selfId={session.member.id} /> : null}
      {isAdmin ? <CampaignForm view={view} values={props.campaign?.values} errors={props.campaign?.errors} /> : null}
    </Layout>
  );
}
