/**
 * Realistic sample data for every email kind: used by `scripts/emails-preview.ts` and the template
 * tests. The reply words here are illustrative; in the running system they come from the reply
 * parser (the words valid for that email and reader).
 */
import type { EmailKind } from '../src/domain/types.js';
import type { EmailData, ReferralSummary, ReplyWord } from '../src/mail/render.js';
import { sampleData as campaignAskSample } from './campaign_ask.js';
import { sampleData as adminSummarySample } from './admin_summary.js';

const w = (word: string, meaning: string): ReplyWord => ({ word, meaning });

const PROVIDER_WORDS = [
  w('contacted', 'you have been in touch'),
  w('met', 'you have met'),
  w('proposal', 'you sent a proposal'),
  w('won 4500', 'you won the work (amount optional)'),
  w('lost <why>', 'it did not work out, and why'),
  w('pass <who is better>', 'someone else should take it'),
  w('snooze 2 weeks', 'ask again later'),
  w('ask <question>', 'send Priya a question'),
  w('note <text>', 'a private note for yourself'),
];

export const SAMPLE_REPLY_WORDS: Record<EmailKind, ReplyWord[]> = {
  receipt: [
    w('cancel', 'withdraw this referral'),
    w('no intro', 'do not send the introduction'),
    w('provider: Name', 'send it to another member'),
    w('prospect: Name <email>', 'correct the prospect'),
  ],
  provider_notice: [w('contacted', 'you have been in touch'), w('pass <who is better>', 'someone else should take it'), w('ask <question>', 'send Priya a question')],
  thank_you_prompt: [w('thanks <your words>', 'we pass your words on to Priya'), w('thanked', 'you already thanked them yourself')],
  intro: [],
  contact_reminder: [w('contacted', 'you have been in touch'), w('pass <who is better>', 'someone else should take it')],
  escalation: [w('contacted', 'you have been in touch'), w('pass <who is better>', 'someone else should take it')],
  escalation_notice: [w('ask <question>', 'send Jane a question'), w('cancel', 'withdraw the referral')],
  connection_check: [w('yes', 'Jane got in touch'), w('no', 'you have not heard from Jane yet'), w('stop', 'no more emails from us')],
  progress_request: PROVIDER_WORDS,
  milestone: [w('ask <question>', 'send Jane a question'), w('note <text>', 'a private note for yourself')],
  experience_check: [w('1 to 5', 'your rating, 5 is best'), w('5 <comment>', 'a rating with a few words'), w('stop', 'no more emails from us')],
  quality_question: [w('good', 'it was a good referral'), w('poor <why>', 'it was not, and why')],
  give_back: [w('refer Name <email> <need>', 'refer someone back to Priya'), w('stop', 'no more optional emails')],
  thanks_relay: [w('ask <question>', 'send Jane a question')],
  alert: [w('contacted', 'you have been in touch'), w('note <text>', 'a private note for yourself')],
  needs_info: [w('provider: Name', 'who should receive it'), w('prospect: Name <email>', 'who the prospect is'), w('cancel', 'drop this draft')],
  needs_info_reminder: [w('provider: Name', 'who should receive it'), w('prospect: Name <email>', 'who the prospect is'), w('cancel', 'drop this draft')],
  help: PROVIDER_WORDS,
  refusal: [],
  dormant_notice: [w('ask <question>', 'send Jane a question'), w('cancel', 'close the referral')],
  relay: [w('ok', 're-refer Bob to Tom'), w('ask <answer>', 'reply to Jane')],
  notice: [w('note <text>', 'a private note for yourself')],
  campaign_ask: campaignAskSample().replyWords,
  admin_summary: [],
  digest: [w('stop', 'no more optional emails')],
  magic_link: [],
  welcome: [],
  anniversary: [w('done', 'you sent the note; we tell Priya'), w('skip', 'not this year'), w('stop', 'no more anniversary reminders')],
};

export const SAMPLE_REFERRAL: ReferralSummary = {
  prospectName: 'Bob Brown',
  prospectCompany: 'Brown & Sons Bakery',
  prospectEmail: 'bob@brownbakery.example',
  prospectPhone: '+44 7700 900123',
  need: 'a new shop front and signage before the summer',
  note: 'Met Bob at the farmers market. He wants it done before July, budget is flexible.\nPrefers a call in the morning.',
  consent: true,
  temperature: 4,
  status: 'logged',
  providerName: 'Jane Smith',
  providerBusiness: 'Smith Shopfitting',
  providerEmail: 'jane@smithshopfitting.example',
  referrerName: 'Priya Patel',
  referrerEmail: 'priya@patelaccounts.example',
  introAt: 'Tue 4 Mar, 14:30',
};

const GROUP = 'Riverside Business Network';
const WEB = 'https://relay.example.com/referrals/k3v9q2m7x1c8d4fz';
const STOP = 'https://relay.example.com/stop/k3v9q2m7x1c8d4fz.sig';
const UNSUBSCRIBE = 'https://relay.example.com/unsubscribe/m8a2.sig';

const base = (recipientName: string, kind: EmailKind, recipientRole: EmailData['recipientRole'], referral: Partial<ReferralSummary> = {}): EmailData => ({
  groupName: GROUP,
  recipientName,
  recipientRole,
  replyWords: SAMPLE_REPLY_WORDS[kind],
  links: recipientRole === 'prospect' ? { stop: STOP } : { web: WEB },
  referral: { ...SAMPLE_REFERRAL, ...referral },
});

const tom = {
  name: 'Tom Green',
  email: 'tom@greensigns.example',
  business: 'Green Signs',
  category: 'Signage',
  profile: {
    tellPeople: 'Tom makes hand-painted and illuminated signs for independent shops, start to finish.',
    goodReferral: 'A shop or café opening or rebranding in the next three months.',
  },
};

/** Sample data for one kind, as the system would pass it. */
export function sampleEmailData(kind: EmailKind): EmailData {
  switch (kind) {
    case 'receipt':
      return base('Priya Patel', kind, 'referrer');
    case 'provider_notice':
    case 'thank_you_prompt':
    case 'contact_reminder':
    case 'escalation':
      return base('Jane Smith', kind, 'provider');
    case 'intro':
      return {
        ...base('Bob Brown', kind, 'prospect'),
        profile: {
          name: 'Jane Smith',
          business: 'Smith Shopfitting',
          profile: {
            tellPeople: 'Jane designs and fits shop fronts for independent retailers, usually in under three weeks, with no mess left behind.',
            goodReferral: 'A shop owner planning a refit or a new opening.',
          },
        },
      };
    case 'escalation_notice':
    case 'dormant_notice':
      return { ...base('Priya Patel', kind, 'referrer'), progress: { number: 6, max: 6 } };
    case 'connection_check':
      return base('Bob Brown', kind, 'prospect');
    case 'progress_request':
      return { ...base('Jane Smith', kind, 'provider', { status: 'met' }), progress: { number: 2, max: 6 } };
    case 'milestone':
      return {
        ...base('Priya Patel', kind, 'referrer', { status: 'won', closedValue: { amount: 4500, currency: 'GBP' } }),
        text: 'Bob loved the design; we start fitting on the 12th.',
      };
    case 'experience_check':
      return base('Bob Brown', kind, 'prospect', { status: 'won' });
    case 'quality_question':
      return base('Jane Smith', kind, 'provider', { status: 'won' });
    case 'give_back':
      return {
        ...base('Jane Smith', kind, 'provider', { status: 'won' }),
        links: { web: WEB, unsubscribe: UNSUBSCRIBE },
        profile: {
          name: 'Priya Patel',
          business: 'Patel Accounts',
          category: 'Accountancy',
          profile: { goodReferral: 'A small business owner who has just taken on their first employee, or is fed up with doing their own books.' },
        },
      };
    case 'thanks_relay':
      return {
        ...base('Priya Patel', kind, 'referrer'),
        text: 'Thank you so much, Priya! Bob is exactly the kind of client I love working with. Coffee is on me next week.',
      };
    case 'alert':
      return {
        ...base('Jane Smith', kind, 'provider', { status: 'won' }),
        alert: { reason: 'low_rating' },
        rating: 2,
        text: 'The work was fine but nobody told me the fitting would take two extra days; we had to close the shop.',
      };
    case 'needs_info':
    case 'needs_info_reminder':
      return {
        ...base('Priya Patel', kind, 'referrer', { status: 'needs_info', providerName: '', providerBusiness: undefined, providerEmail: undefined }),
        missing: ['provider'],
        candidates: [
          { name: 'Jane Smith', email: 'jane@smithshopfitting.example', business: 'Smith Shopfitting' },
          { name: 'Jane Okafor', email: 'jane@okaforlaw.example', business: 'Okafor Law' },
        ],
        deadline: kind === 'needs_info_reminder' ? 'Tue 18 Mar' : undefined,
      };
    case 'help':
      return { ...base('Jane Smith', kind, 'provider', { status: 'contacted' }), text: 'Will do once I am back from holiday' };
    case 'refusal':
      return {
        groupName: GROUP,
        recipientName: 'sam@unknown.example',
        replyWords: [],
        refusal: { reason: 'not_member', address: 'sam@unknown.example' },
      };
    case 'relay':
      return {
        ...base('Priya Patel', kind, 'referrer', { status: 'passed' }),
        relay: { type: 'pass_suggestion', suggested: tom },
        text: 'Bob mostly needs signage; Tom is the best person for that.',
      };
    case 'notice':
      return { ...base('Jane Smith', kind, 'provider', { status: 'withdrawn' }), notice: { reason: 'cancelled' }, text: 'Bob found someone through his landlord.' };
    case 'digest':
      return {
        groupName: GROUP,
        recipientName: 'Jane Smith',
        recipientRole: 'member',
        replyWords: SAMPLE_REPLY_WORDS.digest,
        links: { web: 'https://relay.example.com/refer', unsubscribe: UNSUBSCRIBE },
        digest: {
          periodLabel: 'week of 3 March',
          waitingOnYou: [
            { prospectName: 'Bob Brown', providerName: 'Jane Smith', need: 'a new shop front', status: 'met', action: 'update_status', link: WEB },
            { prospectName: 'Ana Lima', providerName: 'Jane Smith', need: 'a café counter', status: 'logged', action: 'make_contact' },
          ],
          givenThisMonth: 1,
          receivedThisMonth: 3,
          goalPerMonth: 2,
          referBack: { ...tom, profile: tom.profile, why: 'referred you twice this year' },
        },
      };
    case 'campaign_ask':
      return campaignAskSample();
    case 'admin_summary':
      return adminSummarySample();
    case 'magic_link':
      return {
        groupName: GROUP,
        recipientName: 'Jane Smith',
        recipientRole: 'member',
        replyWords: [],
        links: { signIn: 'https://relay.example.com/signin/Zm9vYmFyYmF6cXV4' },
        expiresInMinutes: 15,
      };
    case 'welcome':
      return {
        groupName: GROUP,
        recipientName: 'Jane Smith',
        recipientRole: 'member',
        replyWords: [],
        links: { web: 'https://relay.example.com/refer', signIn: 'https://relay.example.com/signin' },
        welcome: { logAddress: 'harbour@relay.example.com' },
      };
    case 'anniversary':
      return { ...base('Jane Smith', kind, 'provider', { status: 'won' }), anniversary: { years: 1, wonOn: 'Tue 4 Mar 2025' } };
  }
}
