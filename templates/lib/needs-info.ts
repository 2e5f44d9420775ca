/** What needs_info and needs_info_reminder share: one question per missing part, and the candidates. */
import type { EmailData } from '../../src/mail/render.js';
import { list, name, p, word, type Inline, type MaybeBlock } from './blocks.js';
import { oneLine, SHORT_MAX } from './format.js';
import { tellApartWords } from '../../src/members/tell-apart.js';
import { referralDetails } from './referral.js';
import type { EmailView } from './view.js';

/** `prospectEmail`, `prospect-email`, `Prospect email` → `prospect_email`. */
function key(item: string): string {
  return item
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_|_$/g, '');
}

function question(item: string): Inline[] {
  switch (key(item)) {
    case 'provider':
      return ['Who should receive it? Reply ', word('provider: Name'), '.'];
    case 'prospect':
    case 'prospect_name':
      return ['Who is the prospect? Reply ', word('prospect: Name <email>'), '.'];
    case 'prospect_email':
    case 'prospect_contact':
    case 'prospect_phone':
      return ['How can the prospect be reached? Reply ', word('prospect: Name <email>'), ' (a phone number works too).'];
    case 'need':
      return ['What do they need? Reply with a sentence about it.'];
    case 'consent':
      return ['Did the prospect agree to be contacted? Reply and tell us.'];
    default:
      return [oneLine(item, SHORT_MAX)];
  }
}

/** " Or just one word: `Ortiz` or `Lee`." when every candidate has a word of its own. */
function oneWordHint(candidates: readonly { name: string; business?: string }[]): Inline[] {
  const words = tellApartWords(candidates.map((c) => ({ name: oneLine(c.name), business: oneLine(c.business, SHORT_MAX) })));
  if (candidates.length < 2 || !words.every(Boolean)) return [];
  return [' Or just one word: ', ...words.flatMap((w, i) => [...(i > 0 ? [i === words.length - 1 ? ' or ' : ', '] : []), word(w!)]), '.'];
}

export function missingBlocks(v: EmailView, d: EmailData): MaybeBlock[] {
  const missing = (d.missing ?? []).filter((m) => oneLine(m) !== '');
  const candidates = (d.candidates ?? []).slice(0, 10);
  return [
    missing.length > 0 ? list(missing.map(question)) : p('Please reply with who is who: the provider, the prospect and what they need.'),
    candidates.length > 0 && p('Did you mean one of these members?'),
    candidates.length > 0 &&
      list(
        candidates.map((c) => {
          const business = oneLine(c.business, SHORT_MAX);
          const email = oneLine(c.email, 254);
          return [name(oneLine(c.name) || 'a member'), business ? ` (${business})` : '', email ? ` <${email}>` : ''];
        }),
      ),
    candidates.length > 0 && p('Reply ', word('provider: Name'), ' with the right one.', ...oneWordHint(candidates)),
    (v.prospectKnown || v.providerKnown || v.need) && p('What we have so far:'),
    referralDetails(v, { contact: 'always', provider: true, note: true }),
  ];
}
