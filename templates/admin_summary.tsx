/**
 * admin_summary → each admin, weekly on the digest day: what moved, who is waiting on whom (open
 * referrals not contacted, oldest first), the slowest first contacts, and flagged members.
 */
import type { EmailData } from '../src/mail/render.js';
import type { AdminSummaryData } from '../src/reports/email-data.js';
import { button, list, muted, name, p, subheading, type Inline } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, NO_REPLY_NEEDED, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, SHORT_MAX, STATUS_LABEL } from './lib/format.js';
import { greeting, view } from './lib/view.js';

const summaryOf = (d: EmailData) => (d as AdminSummaryData).adminSummary;

const count = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function subject(d: EmailData): string {
  const v = view(d);
  const s = summaryOf(d);
  const waiting = s?.waiting.length ?? 0;
  return headerValue(`Admin summary for ${v.group}${waiting > 0 ? `: ${plural(waiting, 'referral')} waiting on first contact` : ''}`);
}

function pair(item: { prospectName: string; providerName: string; referrerName: string }): Inline[] {
  return [name(oneLine(item.prospectName) || 'a prospect'), ' → ', name(oneLine(item.providerName) || 'a provider'), ' (from ', name(oneLine(item.referrerName) || 'a member'), ')'];
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const s = summaryOf(d);
  const moved = s?.moved ?? [];
  const waiting = s?.waiting ?? [];
  const slowest = s?.slowest ?? [];
  const flagged = s?.flagged ?? [];
  return {
    ...baseParts(v, d),
    web: undefined,
    title: subject(d),
    preheader: `${plural(count(s?.given), 'referral')} logged and ${count(s?.won)} won this week.`,
    replyNote: NO_REPLY_NEEDED,
    body: [
      p(greeting(v)),
      p('Here is the ', oneLine(s?.weekLabel, 60) || 'week', ' in ', name(v.group), `: ${plural(count(s?.given), 'referral')} logged, ${count(s?.won)} won.`),
      subheading(`What moved (${moved.length})`),
      moved.length > 0
        ? list(moved.map((m) => [...pair(m), `: ${STATUS_LABEL[m.status] ?? m.status}, ${oneLine(m.when, 40)}`]))
        : p('No referral changed status this week.'),
      subheading(`Waiting on first contact (${waiting.length})`),
      waiting.length > 0
        ? list(waiting.map((w) => [...pair(w), `: waiting ${plural(count(w.days), 'day')}`]))
        : p('Every open referral has been contacted. Well done, everyone.'),
      subheading('Slowest first contacts this week'),
      slowest.length > 0 ? list(slowest.map((w) => [...pair(w), `: ${Math.round(w.hours)} hours`])) : p('No first contacts were made this week.'),
      flagged.length > 0 && subheading(`Flagged for a conversation (${flagged.length})`),
      flagged.length > 0 && list(flagged.map((f) => [name(oneLine(f.name)), `: ${oneLine(f.note, SHORT_MAX)}`])),
      button(v.links.web, 'Open the group report'),
      muted('You receive this because you are an admin of the group.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}

/** Realistic data for previews and the template tests (templates/samples.ts can return this). */
export function sampleData(): AdminSummaryData {
  const web = 'https://relay.example.com/referrals/k3v9q2m7x1c8d4fz';
  return {
    groupName: 'Riverside Business Network',
    recipientName: 'Ada Admin',
    recipientRole: 'member',
    replyWords: [],
    links: { web: 'https://relay.example.com/reports' },
    adminSummary: {
      weekLabel: 'week of 3 March',
      given: 4,
      won: 1,
      moved: [{ prospectName: 'Bob Brown', providerName: 'Jane Smith', referrerName: 'Priya Patel', status: 'won', when: 'Tue 4 Mar', link: web }],
      waiting: [{ prospectName: 'Ana Lima', providerName: 'Tom Green', referrerName: 'Jane Smith', days: 5, link: web }],
      slowest: [{ prospectName: 'Carl Diaz', providerName: 'Tom Green', referrerName: 'Priya Patel', hours: 52, link: web }],
      flagged: [{ name: 'Tom Green', note: 'Slow to contact three referrals in a row' }],
    },
  };
}
