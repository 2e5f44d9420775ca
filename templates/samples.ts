/**
 * Realistic sample data for every email kind: used by `scripts/emails-preview.ts` and the template
 * tests. The reply words are the real lists (src/replies/valid-commands.ts) for the sample's state,
 * so the preview shows what members will see.
 */
import type { EmailKind } from '../src/domain/types.js';
import type { EmailData, ReferralSummary, ReplyWord } from '../src/mail/render.js';
import type { Referral } from '../src/domain/types.js';
import { helpWords, validCommands, type EmailSituation } from '../src/replies/valid-commands.js';
import type { Role } from '../src/replies/types.js';
import { sampleData as campaignAskSample } from './campaign_ask.js';
import { sampleData as adminSummarySample } from './admin_summary.js';

/** A domain referral in the sample's state, so the reply words come from the real lists (issue 15 item 9). */
function sampleDomainReferral(status: Referral['status'], over: Partial<Referral> = {}): Referral {
  return {
    id: 'k3v9q2m7x1c8d4fz', groupId: 'riverside0000000', status, source: 'web', referrerId: 'priya00000000000', providerId: status === 'needs_info' ? undefined : 'jane000000000000',
    prospect: { name: 'Bob Brown', email: 'bob@brownbakery.example' }, need: 'a new shop front', consent: true,
    unansweredProgressRequests: 1, pending: [], stepSeq: 0, timeline: [], createdAt: '2026-03-03T09:00:00.000Z', updatedAt: '2026-03-03T09:00:00.000Z', version: 1, ...over,
  };
}

const ROLE: Partial<Record<EmailKind, Role>> = {
  receipt: 'referrer', escalation_notice: 'referrer', dormant_notice: 'referrer', milestone: 'referrer', thanks_relay: 'referrer', needs_info: 'referrer', needs_info_reminder: 'referrer', relay: 'referrer',
  connection_check: 'prospect', experience_check: 'prospect', intro: 'prospect',
};

/** The reply words the running system lists for this sample (validCommands; help: the whole list). */
function realWords(kind: EmailKind, status: Referral['status'], situation: EmailSituation = {}, over: Partial<Referral> = {}): ReplyWord[] {
  if (kind === 'intro') return [];
  const referral = sampleDomainReferral(status, over);
  return kind === 'help' ? helpWords('provider', 'progress_request', referral) : validCommands(ROLE[kind] ?? 'provider', kind, referral, situation);
}

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

const base = (recipientName: string, kind: EmailKind, recipientRole: EmailData['recipientRole'], referral: Partial<ReferralSummary> = {}, situation: EmailSituation = {}): EmailData => ({
  groupName: GROUP,
  recipientName,
  recipientRole,
  replyWords: realWords(kind, referral.status ?? 'logged', situation, kind === 'relay' ? { passSuggestionId: 'tom0000000000000' } : {}),
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

const SAMPLE_LAST_CHANGE: Referral['lastChange'] = {
  actorId: 'jane000000000000', role: 'provider', at: '2026-03-03T10:00:00.000Z', action: 'contacted', label: 'Marked contacted', version: 2, told: ['referrer'],
  before: { id: 'k3v9q2m7x1c8d4fz', groupId: 'riverside0000000', status: 'logged', source: 'web', referrerId: 'priya00000000000', providerId: 'jane000000000000', prospect: { name: 'Bob Brown', email: 'bob@brownbakery.example' }, need: 'a new shop front', consent: true, unansweredProgressRequests: 1, pending: [], stepSeq: 0, createdAt: '2026-03-03T09:00:00.000Z', updatedAt: '2026-03-03T09:00:00.000Z', version: 1 },
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
        ...base('Jane Smith', kind, 'provider', { status: 'won' }, { alert: 'low_rating' }),
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
        ...base('Priya Patel', kind, 'referrer', { status: 'passed' }, { relay: 'pass_suggestion' }),
        relay: { type: 'pass_suggestion', suggested: tom },
        text: 'Bob mostly needs signage; Tom is the best person for that.',
      };
    case 'confirmation':
      return {
        ...base('Jane Smith', kind, 'provider', { status: 'contacted' }),
        replyWords: realWords(kind, 'contacted', {}, { lastChange: SAMPLE_LAST_CHANGE }),
        text: 'Marked contacted — thanks. Reply undo within 15 minutes if that was a mistake.',
      };
    case 'notice':
      return { ...base('Jane Smith', kind, 'provider', { status: 'withdrawn' }), notice: { reason: 'cancelled' }, text: 'Bob found someone through his landlord.' };
    case 'digest':
      return {
        groupName: GROUP,
        recipientName: 'Jane Smith',
        recipientRole: 'member',
        replyWords: [],
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
