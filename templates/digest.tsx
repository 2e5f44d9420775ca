/**
 * digest → every member, weekly: referrals waiting on you, given/received this month against the
 * monthly goal, and one member you could refer back. Optional: carries the unsubscribe link.
 */
import type { DigestAction, EmailData } from '../src/mail/render.js';
import { button, details, list, muted, name, p, quote, strong, subheading, type Inline, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, oneLine, safeUrl, SHORT_MAX, STATUS_LABEL } from './lib/format.js';
import { greeting, memberView, view } from './lib/view.js';

const ACTION_LABEL: Record<DigestAction, string> = {
  add_details: 'add the missing details',
  make_contact: 'make first contact',
  update_status: 'send an update',
  say_thanks: 'say thank you',
  confirm_rerefer: 'confirm the re-referral',
};

const MAX_ITEMS = 20;

function count(value: number | undefined, locale: string): string {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0;
  return new Intl.NumberFormat(locale).format(n);
}

export function subject(d: EmailData): string {
  const v = view(d);
  const waiting = d.digest?.waitingOnYou.length ?? 0;
  return headerValue(`Your week in ${v.group}${waiting > 0 ? `: ${waiting} waiting on you` : ''}`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const digest = d.digest;
  const items = digest?.waitingOnYou ?? [];
  const given = digest?.givenThisMonth ?? 0;
  const goal = digest?.goalPerMonth && digest.goalPerMonth > 0 ? digest.goalPerMonth : undefined;
  const referBack = memberView(digest?.referBack);
  const period = oneLine(digest?.periodLabel, 80);

  const itemLines: Inline[][] = items.slice(0, MAX_ITEMS).map((item) => {
    const need = oneLine(item.need, SHORT_MAX);
    const href = safeUrl(item.link);
    return [
      name(oneLine(item.prospectName) || 'a prospect'),
      ' → ',
      name(oneLine(item.providerName) || 'a provider'),
      need ? `, ${need}` : '',
      ` (${STATUS_LABEL[item.status].toLowerCase()}): `,
      href ? { link: href, label: ACTION_LABEL[item.action] } : strong(ACTION_LABEL[item.action]),
    ];
  });

  const goalLine: MaybeBlock = goal
    ? given >= goal
      ? p('You have reached your giving goal this month. Thank you!')
      : p(`${count(goal - given, v.locale)} more to reach your goal this month.`)
    : null;

  return {
    ...baseParts(v, d),
    web: undefined,
    title: subject(d),
    preheader: items.length > 0 ? `${items.length} waiting on you this week.` : 'Nothing is waiting on you this week.',
    replyNote: (d.replyWords ?? []).length > 0 ? 'Replies to this summary understand only the words below.' : 'No need to reply to this email.',
    body: [
      p(greeting(v)),
      p('Here is your week in ', name(v.group), period ? ` (${period})` : '', '.'),
      subheading(`Waiting on you (${count(items.length, v.locale)})`),
      itemLines.length > 0 ? list(itemLines) : p('Nothing is waiting on you. Nice work!'),
      items.length > MAX_ITEMS && muted(`And ${count(items.length - MAX_ITEMS, v.locale)} more in the app.`),
      subheading('This month'),
      details([
        ['Given', goal ? `${count(given, v.locale)} of your goal of ${count(goal, v.locale)}` : count(given, v.locale)],
        ['Received', count(digest?.receivedThisMonth, v.locale)],
      ]),
      goalLine,
      referBack && subheading('Someone you could refer'),
      referBack &&
        p(
          name(referBack.name),
          referBack.business ? `, ${referBack.business}` : '',
          digest?.referBack?.why ? `: ${oneLine(digest.referBack.why, SHORT_MAX)}` : '',
          '.',
        ),
      // The good referral once: in the "why" sentence when it is there, else as a quote.
      referBack && !saysGoodReferral(digest?.referBack?.why, referBack.goodReferral) && quote(referBack.goodReferral, `A good referral for ${referBack.name}`),
      button(v.links.web, 'Refer someone'),
    ],
  };
}

function saysGoodReferral(why: string | undefined, good: string): boolean {
  const flat = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase();
  return !!why && !!good && flat(why).includes(flat(good).slice(1, 60));
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
