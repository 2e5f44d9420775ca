/**
 * anniversary → provider, on a won referral's anniversary: thank the customer with a note that
 * invites referrals (a suggested wording to copy, in the provider's own voice; the system never
 * writes to the customer). Replies: done, skip, stop.
 * anniversary → referrer, only when the provider replied `done`: "a year ago you introduced …; … is
 * still a customer".
 */
import type { EmailData } from '../src/mail/render.js';
import { muted, name, p, quote, word } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, NO_REPLY_NEEDED, type EmailParts } from './lib/email.js';
import { referralSubject } from './lib/format.js';
import { firstName, greeting, view, type EmailView } from './lib/view.js';


/** "a year ago", "2 years ago". */
function yearsAgo(d: EmailData): string {
  const years = d.anniversary?.years ?? 1;
  return years <= 1 ? 'a year ago' : `${years} years ago`;
}

/** "a year", "2 years". */
function yearsSince(d: EmailData): string {
  const years = d.anniversary?.years ?? 1;
  return years <= 1 ? 'a year' : `${years} years`;
}

export function subject(d: EmailData): string {
  const v = view(d);
  if (v.role === 'referrer') return referralSubject(`${firstName(v.prospect)} is still ${firstName(v.provider)}'s customer, ${yearsSince(d)} after your introduction`, v.prospect, v.provider);
  const years = d.anniversary?.years ?? 1;
  return referralSubject(`${years <= 1 ? 'One year' : `${years} years`} with ${firstName(v.prospect)}: time for a thank-you note?`, v.prospect, v.provider);
}

/** The note the provider may copy: their voice, thanks first, the invitation light. */
function suggestedNote(v: EmailView, d: EmailData): string {
  return [
    `Hi ${firstName(v.prospect)},`,
    `It's ${yearsSince(d)} since we started working together, and I wanted to say thank you for your trust${v.prospectCompany ? ` and for the chance to work with ${v.prospectCompany}` : ''}.`,
    `If you know someone who could use the same help, I'd be glad to hear from them; an introduction from you means a lot.`,
    `${firstName(v.provider)}`,
  ].join('\n\n');
}

function providerParts(d: EmailData, v: EmailView): EmailParts {
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `${yearsAgo(d)} ${v.referrer} introduced you to ${v.prospect}. A short thank-you keeps the door open.`,
    replyNote: 'Reply to this email with one word: done, skip or stop.',
    body: [
      p(greeting(v)),
      p(
        yearsAgo(d).replace(/^a/, 'A'),
        d.anniversary?.wonOn ? ` (${d.anniversary.wonOn})` : '',
        ', ',
        name(v.referrer),
        ' introduced you to ',
        name(v.prospect),
        ' and you won the work. An anniversary is a good moment for a short note of thanks that also invites referrals.',
      ),
      p('Here is a wording you can copy and make your own:'),
      quote(suggestedNote(v, d)),
      muted(`We never write to ${firstName(v.prospect)} ourselves: the note is yours to send, if and how you like.`),
      p(
        'Reply ',
        word('done'),
        ' once you have sent it (we then tell ',
        name(v.referrer),
        ` that ${firstName(v.prospect)} is still your customer), `,
        word('skip'),
        ' to let this year pass, or ',
        word('stop'),
        ' for no more anniversary reminders.',
      ),
    ],
  };
}

function referrerParts(d: EmailData, v: EmailView): EmailParts {
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `${v.provider} thanked ${v.prospect} for a year of work you made possible.`,
    replyNote: NO_REPLY_NEEDED,
    body: [
      p(greeting(v)),
      p(yearsAgo(d).replace(/^a/, 'A'), ' you introduced ', name(v.prospect), ' to ', name(v.provider), '; ', name(firstName(v.prospect)), ` is still ${firstName(v.provider)}'s customer.`),
      p(name(firstName(v.provider)), ' has just sent ', name(firstName(v.prospect)), ' a note of thanks. Good referrals last: thank you for this one.'),
    ],
  };
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  return v.role === 'referrer' ? referrerParts(d, v) : providerParts(d, v);
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
