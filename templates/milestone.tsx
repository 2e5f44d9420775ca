/**
 * milestone → referrer, on every status change: the new status and the provider's public text only.
 * A closed value appears only when the caller passes one (the provider said `share`); a `lost`
 * always carries its reason.
 */
import type { Status } from '../src/domain/types.js';
import type { EmailData } from '../src/mail/render.js';
import { name, p, quote, strong, word, type Inline } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, REPLY_ACTS, type EmailParts } from './lib/email.js';
import { referralSubject, STATUS_LABEL } from './lib/format.js';
import { firstName, greeting, view, type EmailView } from './lib/view.js';

const FINAL: readonly Status[] = ['won', 'lost', 'passed', 'withdrawn'];

function statusOf(d: EmailData): Status {
  return d.referral?.status ?? 'logged';
}

export function subject(d: EmailData): string {
  const v = view(d);
  return referralSubject(STATUS_LABEL[statusOf(d)], v.prospect, v.provider);
}

/** "They went with…" continues a sentence as "they went with…"; a name or an acronym keeps its capital. */
function midSentence(text: string): string {
  return /^(?:He|She|They|We|It|The|A|An|His|Her|Their|Our|No|Not|Price|Budget|Too|Went|Chose|Decided)\b/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function sentence(status: Status, v: EmailView): Inline[] {
  const prospect = name(v.prospect);
  const provider = name(v.provider);
  switch (status) {
    case 'contacted':
      return [provider, ' has been in touch with ', prospect, '.'];
    case 'met':
      return [provider, ' and ', prospect, ' have met.'];
    case 'proposal':
      return [provider, ' has sent ', prospect, ' a proposal.'];
    case 'won':
      return ['Good news: ', provider, ' won the business with ', prospect, '. Thank you for the referral!'];
    case 'lost': {
      // The reason once, in the sentence: "Priya didn't win the work with Bob this time — he went with a cheaper quote."
      const why = (v.lostReason || v.text).trim().replace(/\s+/g, ' ');
      const first = [name(firstName(v.provider)), " didn't win the work with ", name(firstName(v.prospect)), ' this time'];
      if (!why) return [...first, '; no reason was given.'];
      return [...first, ' — ', midSentence(why.replace(/[\s.,;:–—-]+$/, '')), /[!?]$/.test(why) ? '' : '.'];
    }
    case 'passed':
      return [provider, ' has passed on ', prospect, ', feeling someone else is better placed to help.'];
    case 'withdrawn':
      return ['The referral of ', prospect, ' to ', provider, ' has been withdrawn.'];
    case 'dormant':
      return [provider, ' has not sent news about ', prospect, ' for a while, so the referral is marked dormant. It reopens with their next update.'];
    case 'needs_info':
      return ['The referral of ', prospect, ' to ', provider, ' needs a detail before it can go ahead.'];
    case 'logged':
      return ['The referral of ', prospect, ' to ', provider, ' is open.'];
  }
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const status = statusOf(d);
  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: `${STATUS_LABEL[status]}: your referral of ${v.prospect} to ${v.provider}.`,
    replyNote: REPLY_ACTS,
    body: [
      p(greeting(v)),
      p(...sentence(status, v)),

      v.closedValue !== '' && p(strong('Value of the business: '), v.closedValue),
      status !== 'lost' && quote(v.text, `${v.provider} says`),
      !FINAL.includes(status) && p('Any questions for ', name(v.provider), '? Reply ', word('ask <question>'), '.'),
    ],
  };
}

export function html(d: EmailData) {
  return <EmailHtml parts={parts(d)} />;
}

export function text(d: EmailData): string {
  return emailText(parts(d));
}
