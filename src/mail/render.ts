/**
 * Renders every automated email (subject, HTML and plain-text parts) from the templates in
 * `templates/`. Pure: no I/O, no clock. Callers pass preformatted dates and already-redacted data
 * (e.g. a closed value only when the reader may see it); templates show what they are given.
 */
import type { EmailKind, Money, Profile, Status } from '../domain/types.js';
import { headerValue, normaliseText, SUBJECT_MAX } from '../../templates/lib/format.js';
import * as adminSummary from '../../templates/admin_summary.js';
import * as alert from '../../templates/alert.js';
import * as anniversary from '../../templates/anniversary.js';
import * as campaignAsk from '../../templates/campaign_ask.js';
import * as connectionCheck from '../../templates/connection_check.js';
import * as contactReminder from '../../templates/contact_reminder.js';
import * as digest from '../../templates/digest.js';
import * as dormantNotice from '../../templates/dormant_notice.js';
import * as escalation from '../../templates/escalation.js';
import * as escalationNotice from '../../templates/escalation_notice.js';
import * as experienceCheck from '../../templates/experience_check.js';
import * as giveBack from '../../templates/give_back.js';
import * as help from '../../templates/help.js';
import * as intro from '../../templates/intro.js';
import * as magicLink from '../../templates/magic_link.js';
import * as milestone from '../../templates/milestone.js';
import * as needsInfo from '../../templates/needs_info.js';
import * as needsInfoReminder from '../../templates/needs_info_reminder.js';
import * as notice from '../../templates/notice.js';
import * as progressRequest from '../../templates/progress_request.js';
import * as providerNotice from '../../templates/provider_notice.js';
import * as qualityQuestion from '../../templates/quality_question.js';
import * as receipt from '../../templates/receipt.js';
import * as refusal from '../../templates/refusal.js';
import * as relay from '../../templates/relay.js';
import * as thankYouPrompt from '../../templates/thank_you_prompt.js';
import * as thanksRelay from '../../templates/thanks_relay.js';
import * as confirmation from '../../templates/confirmation.js';
import * as welcome from '../../templates/welcome.js';

export { headerValue } from '../../templates/lib/format.js';

/** A word the reply parser accepts for this email, and what it does. */
export interface ReplyWord {
  /** As the reader should type it: `contacted`, `won 4500`, `lost <why>`. */
  word: string;
  meaning: string;
}

/** Absolute http(s) URLs; anything else is dropped by the templates. */
export interface EmailLinks {
  /** Signed one-click stop link (every email to a prospect). */
  stop?: string;
  /** One-click unsubscribe from optional emails (digest, give-back nudges). */
  unsubscribe?: string;
  /** The referral (or page) in the web app. */
  web?: string;
  /** Magic sign-in link. */
  signIn?: string;
}

/** What the templates may show about a referral, already redacted for the reader. */
export interface ReferralSummary {
  prospectName: string;
  prospectCompany?: string;
  prospectEmail?: string;
  prospectPhone?: string;
  need: string;
  /** The referrer's note: shown to members only, never to the prospect. */
  note?: string;
  /** The referrer's one line for the prospect (the introduction). */
  introLine?: string;
  consent: boolean;
  /** 1–5, how much the referrer did. */
  temperature?: number;
  status: Status;
  /** Empty when not known yet (needs_info). For `notice` reason `provider_replaced`: the new provider. */
  providerName: string;
  providerBusiness?: string;
  providerEmail?: string;
  referrerName: string;
  referrerEmail?: string;
  lostReason?: string;
  /** Only when this reader may see it (the caller redacts). */
  closedValue?: Money;
  /** Preformatted in the reader's timezone, e.g. "today at 14:30" or "Mon 3 March, 09:00". */
  introAt?: string;
  /** Bcc mode: the referrer's own email was the introduction. */
  introducedByReferrer?: boolean;
}

/** A member as shown where someone could choose or thank them. */
export interface MemberCard {
  name: string;
  email?: string;
  business?: string;
  category?: string;
  profile?: Profile;
}

export interface Candidate {
  name: string;
  email?: string;
  business?: string;
}

export type RecipientRole = 'referrer' | 'provider' | 'prospect' | 'member';

/** Why a generic `notice` is sent. */
export type NoticeReason =
  | 'cancelled' // the referrer cancelled (to provider)
  | 'prospect_stopped' // the prospect replied stop or clicked the stop link
  | 'bounced' // an email to the prospect bounced
  | 'provider_replaced' // to the replaced provider; `referral.providerName` is the new one
  | 'unknown_sender' // a reply came from an address that is not the recipient's; see `notice.address`
  | 'member_removed' // the provider (or referrer) of this referral left the group
  | 'needs_info_expired' // a needs_info draft was withdrawn after 14 days
  | 'reopened' // a final referral was reopened
  | 'undone' // a member took back their last change; `text` says which
  | 'confirm_address'; // no referral: confirm `notice.address` as an extra sender address via `links.signIn` (or `links.web`)

export type AlertReason =
  | 'not_contacted' // the prospect answered `no` to the connection check
  | 'low_rating'; // the prospect rated 1–2

export type RefusalReason =
  | 'not_member' // the sender is not a member of the group
  | 'self_referral'
  | 'inactive_member' // provider or referrer is not an active member
  | 'duplicate' // same prospect, same provider, open, within 30 days (`links.web` → the existing one)
  | 'unreadable' // the mail could not be read; it is kept as a dead letter an admin can see
  | 'unauthenticated'; // a member's mail whose sender could not be proven (SPF/DKIM/DMARC); `text` says why

/** What a `relay` email carries between provider and referrer. */
export type RelayDetail =
  /** An `ask` question or answer; the words are in `text`. */
  | { type: 'question'; fromName: string; fromRole: 'provider' | 'referrer' }
  /** The provider passed and named a better member; `text` is their reason. Nothing happens without `ok`. */
  | { type: 'pass_suggestion'; suggested: MemberCard }
  /** The provider's `good` / `poor <why>` answer, to the referrer; `text` is the why. */
  | { type: 'quality'; verdict: 'good' | 'poor' }
  /** The prospect's experience rating, to provider and referrer; `rating` and `text` (comment). */
  | { type: 'rating' };

/** Why a referral appears in "waiting on you". */
export type DigestAction = 'add_details' | 'make_contact' | 'update_status' | 'say_thanks' | 'confirm_rerefer';

export interface DigestItem {
  prospectName: string;
  providerName: string;
  need?: string;
  status: Status;
  action: DigestAction;
  link?: string;
}

export interface DigestData {
  /** Preformatted, e.g. "week of 3 March". */
  periodLabel?: string;
  waitingOnYou: DigestItem[];
  givenThisMonth: number;
  receivedThisMonth: number;
  goalPerMonth?: number;
  /** One member the reader could refer business to (ideally someone who referred them). */
  referBack?: MemberCard & { why?: string };
}

/**
 * Everything any template may need. Common fields first; the rest are used by the kinds named
 * in their comments and ignored by the others. Missing optional data gives plainer wording,
 * never an error.
 */
export interface EmailData {
  groupName: string;
  /** Display name of the addressee (may be an email address for a refusal). */
  recipientName: string;
  /** Lets shared templates (alert, notice, help) word things for the reader's side. */
  recipientRole?: RecipientRole;
  /** The replies this email understands; rendered in the footer. Empty → no list. Never shown in `intro`. */
  replyWords: ReplyWord[];
  links?: EmailLinks;
  referral?: ReferralSummary;
  /** Relayed words: thanks (thanks_relay), question (relay), comment (alert, relay rating),
   * public milestone text (milestone), the reply not understood (help), the pass reason. */
  text?: string;
  /** 1–5 (alert low_rating, relay rating). */
  rating?: number;
  /** needs_info / needs_info_reminder: what email logging could not tell, e.g. `provider`, `prospect`, `prospect_email`, `need`. */
  missing?: string[];
  /** needs_info: members the provider might be. */
  candidates?: Candidate[];
  /** intro: the provider's card (tellPeople); give_back: the referrer's card (goodReferral). */
  profile?: MemberCard;
  /** progress_request: which request this is; dormant_notice: `max` requests went unanswered. */
  progress?: { number: number; max: number };
  /** Preformatted date, e.g. the day a needs_info draft is withdrawn. */
  deadline?: string;
  alert?: { reason: AlertReason };
  /** notice: why; `address` is the sender (unknown_sender) or the address to confirm (confirm_address, else `text`). */
  notice?: { reason: NoticeReason; address?: string };
  /** refusal: why, and the address the refused mail came from; `text` may add the precise reason. */
  refusal?: {
    reason: RefusalReason;
    address?: string;
    /** duplicate: the open referral that holds the place (names, the day it was logged, its page). */
    existing?: { prospect: string; provider: string; loggedOn?: string; url?: string };
  };
  relay?: RelayDetail;
  digest?: DigestData;
  /** magic_link: minutes the link stays valid (default 15). */
  expiresInMinutes?: number;
  /** welcome: the group's log address (forward or Bcc introductions to it). */
  welcome?: { logAddress: string };
  /**
   * help: why we answer. `asked`: the member replied help; `understood`: the command we read (e.g.
   * `won`) and `why` nothing changed, in our own words (never quoted as if the member wrote it);
   * neither: the reply (in `text`) could not be matched.
   */
  answer?: { asked?: boolean; understood?: string; why?: string };
  /** anniversary: which anniversary of the won referral (1, 2, …) and the day it was won, preformatted. */
  anniversary?: { years: number; wonOn?: string };
  /** BCP 47 locale for numbers and money (default en-GB). */
  locale?: string;
}

export interface RenderedEmail {
  /** One line, no CR/LF, at most ~150 characters. */
  subject: string;
  /** Complete HTML document, user text escaped. */
  html: string;
  /** Plain text, no markup or entities. */
  text: string;
}

/** The shape of every file in `templates/` that renders one kind. */
export interface EmailTemplate {
  subject(data: EmailData): string;
  html(data: EmailData): unknown;
  text(data: EmailData): string;
}

const TEMPLATES: Record<EmailKind, EmailTemplate> = {
  receipt,
  provider_notice: providerNotice,
  thank_you_prompt: thankYouPrompt,
  intro,
  contact_reminder: contactReminder,
  escalation,
  escalation_notice: escalationNotice,
  connection_check: connectionCheck,
  progress_request: progressRequest,
  milestone,
  experience_check: experienceCheck,
  quality_question: qualityQuestion,
  give_back: giveBack,
  thanks_relay: thanksRelay,
  confirmation,
  alert,
  needs_info: needsInfo,
  help,
  refusal,
  dormant_notice: dormantNotice,
  needs_info_reminder: needsInfoReminder,
  relay,
  digest,
  magic_link: magicLink,
  notice,
  campaign_ask: campaignAsk,
  admin_summary: adminSummary,
  welcome,
  anniversary,
};

/** Renders one email of `kind`. Throws only for an unknown kind (a programming error). */
export function renderEmail(kind: EmailKind, data: EmailData): RenderedEmail {
  const template = TEMPLATES[kind];
  if (!template) throw new Error(`No email template for kind "${String(kind)}"`);
  const html = toHtmlString(template.html(data));
  return {
    subject: headerValue(template.subject(data), SUBJECT_MAX),
    html: `<!DOCTYPE html>${html}`,
    text: normaliseText(template.text(data)),
  };
}

function toHtmlString(element: unknown): string {
  // Hono JSX renders synchronously unless a component is async; templates never are.
  const rendered = (element as { toString(): unknown }).toString();
  if (typeof rendered !== 'string') throw new Error('Email templates must render synchronously');
  return rendered;
}
