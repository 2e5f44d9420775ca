/**
 * campaign_ask → every active member, weekly during a referral month: two or three other members
 * and what a good referral is for each; a reply `refer Name <email> <need> for <member>` logs one.
 * Also the answer to a campaign reply we could not act on (`campaign.problem`), listing the same
 * members. Optional email: carries the unsubscribe link.
 */
import type { EmailData } from '../src/mail/render.js';
import type { CampaignAskData } from '../src/reports/email-data.js';
import { button, muted, name, p, quote, subheading, word, type MaybeBlock } from './lib/blocks.js';
import { baseParts, EmailHtml, emailText, type EmailParts } from './lib/email.js';
import { headerValue, multiLine, oneLine, SHORT_MAX } from './lib/format.js';
import { greeting, memberView, view } from './lib/view.js';

const MAX_MEMBERS = 5;

const campaignOf = (d: EmailData) => (d as CampaignAskData).campaign;

export function subject(d: EmailData): string {
  const v = view(d);
  const c = campaignOf(d);
  return headerValue(c?.problem ? `Which member is your referral for? – ${v.group}` : `Referral month in ${v.group}: who could you refer this week?`);
}

function parts(d: EmailData): EmailParts {
  const v = view(d);
  const c = campaignOf(d);
  const members = (c?.members ?? [])
    .slice(0, MAX_MEMBERS)
    .map(memberView)
    .filter((m): m is NonNullable<ReturnType<typeof memberView>> => !!m);
  const startsOn = oneLine(c?.startsOn, 40);
  const endsOn = oneLine(c?.endsOn, 40);
  const problem = oneLine(c?.problem, SHORT_MAX);
  const reply = multiLine(c?.reply, 1000);
  const example = members[0]?.name ?? 'the member';

  const memberBlocks: MaybeBlock[] = members.flatMap((m) => [
    subheading(m.name, m.business ? ` – ${m.business}` : '', m.category ? ` (${m.category})` : ''),
    m.goodReferral ? quote(m.goodReferral, `A good referral for ${m.name}`) : p('Not sure what suits ', name(m.name), '? Ask them what a good referral looks like.'),
  ]);

  return {
    ...baseParts(v, d),
    title: subject(d),
    preheader: problem ? 'Tell us which member the referral is for.' : `This week: ${members.map((m) => m.name).join(', ') || 'your fellow members'}.`,
    replyNote: 'Reply to this email to log a referral; a line is enough.',
    body: [
      p(greeting(v)),
      problem
        ? p(problem)
        : p(
            'It is referral month in ',
            name(v.group),
            startsOn && endsOn ? ` (${startsOn} to ${endsOn})` : '',
            '. This week, think of one person who needs one of these members:',
          ),
      reply && quote(reply, 'Your reply'),
      problem && members.length > 0 && p('The members in your ask this week:'),
      ...memberBlocks,
      members.length === 0 && p('Any member of ', name(v.group), ' will do: name them after ', word('for'), '.'),
      p('Know someone? Reply ', word('refer Name <email> what they need for <member>'), ', for example:'),
      p(word(`refer Sam Patel <sam@example.com> needs a new website for ${example}`)),
      muted('By replying you confirm they agreed to be contacted, just as when you log a referral by email.'),
      button(v.links.web, 'Refer someone on the web'),
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
export function sampleData(): CampaignAskData {
  return {
    groupName: 'Riverside Business Network',
    recipientName: 'Jane Smith',
    recipientRole: 'member',
    replyWords: [
      { word: 'refer Name <email> <need> for <member>', meaning: 'log a referral to that member' },
      { word: 'stop', meaning: 'no more optional emails' },
    ],
    links: { web: 'https://relay.example.com/refer', unsubscribe: 'https://relay.example.com/unsubscribe/m8a2.sig' },
    campaign: {
      startsOn: '1 March',
      endsOn: '31 March',
      members: [
        { name: 'Tom Green', business: 'Green Signs', category: 'Signage', profile: { goodReferral: 'A shop or café opening or rebranding in the next three months.' } },
        { name: 'Priya Patel', business: 'Patel Accounts', category: 'Accountancy', profile: { goodReferral: 'A small business owner who has just taken on their first employee.' } },
      ],
    },
  };
}
