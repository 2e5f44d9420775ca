/**
 * The cleaned, display-ready values every template starts from, built once from `EmailData` so the
 * subject, HTML and text parts of one email show exactly the same strings.
 */
import type { EmailData, MemberCard, RecipientRole } from '../../src/mail/render.js';
import type { Money } from '../../src/domain/types.js';
import { formatMoney, multiLine, oneLine, safeUrl, SHORT_MAX, temperatureText } from './format.js';

export interface MemberView {
  name: string;
  email: string;
  business: string;
  category: string;
  tellPeople: string;
  goodReferral: string;
  setsApart: string;
}

export interface EmailView {
  group: string;
  recipient: string;
  role: RecipientRole | undefined;
  /** The data carried a referral (kinds like help and notice may come without one). */
  hasReferral: boolean;
  prospect: string;
  /** False when the prospect's name is not known yet (the name is then a fallback phrase). */
  prospectKnown: boolean;
  prospectCompany: string;
  prospectEmail: string;
  prospectPhone: string;
  provider: string;
  providerKnown: boolean;
  providerBusiness: string;
  providerEmail: string;
  referrer: string;
  referrerEmail: string;
  need: string;
  note: string;
  introLine: string;
  consent: boolean;
  temperature: string;
  lostReason: string;
  closedValue: string;
  introAt: string;
  introducedByReferrer: boolean;
  /** Relayed or quoted words (see EmailData.text). */
  text: string;
  rating: number | undefined;
  profile: MemberView | undefined;
  links: { stop?: string; unsubscribe?: string; web?: string; signIn?: string };
  locale: string;
}

export function memberView(card: MemberCard | undefined): MemberView | undefined {
  if (!card) return undefined;
  return {
    name: oneLine(card.name) || 'a member',
    email: oneLine(card.email, 254),
    business: oneLine(card.business, SHORT_MAX),
    category: oneLine(card.category, SHORT_MAX),
    tellPeople: multiLine(card.profile?.tellPeople, 1500),
    goodReferral: multiLine(card.profile?.goodReferral, 1500),
    setsApart: multiLine(card.profile?.setsApart, 1500),
  };
}

export function money(value: Money | undefined, locale: string): string {
  return value && Number.isFinite(value.amount) ? formatMoney(value, locale) : '';
}

export function view(data: EmailData): EmailView {
  const r = data.referral;
  const locale = oneLine(data.locale, 35) || 'en-GB';
  const rating =
    typeof data.rating === 'number' && Number.isInteger(data.rating) && data.rating >= 1 && data.rating <= 5
      ? data.rating
      : undefined;
  return {
    group: oneLine(data.groupName) || 'your group',
    recipient: oneLine(data.recipientName),
    role: data.recipientRole,
    hasReferral: r !== undefined,
    prospect: oneLine(r?.prospectName) || 'the prospect',
    prospectKnown: oneLine(r?.prospectName) !== '',
    prospectCompany: oneLine(r?.prospectCompany, SHORT_MAX),
    prospectEmail: oneLine(r?.prospectEmail, 254),
    prospectPhone: oneLine(r?.prospectPhone, 40),
    provider: oneLine(r?.providerName) || 'the provider',
    providerKnown: oneLine(r?.providerName) !== '',
    providerBusiness: oneLine(r?.providerBusiness, SHORT_MAX),
    providerEmail: oneLine(r?.providerEmail, 254),
    referrer: oneLine(r?.referrerName) || 'a member',
    referrerEmail: oneLine(r?.referrerEmail, 254),
    need: oneLine(r?.need, SHORT_MAX),
    note: multiLine(r?.note),
    introLine: oneLine(r?.introLine, 300),
    consent: r?.consent === true,
    temperature: temperatureText(r?.temperature),
    lostReason: multiLine(r?.lostReason, SHORT_MAX * 3),
    closedValue: money(r?.closedValue, locale),
    introAt: oneLine(r?.introAt, 80),
    introducedByReferrer: r?.introducedByReferrer === true,
    text: multiLine(data.text),
    rating,
    profile: memberView(data.profile),
    links: {
      stop: safeUrl(data.links?.stop),
      unsubscribe: safeUrl(data.links?.unsubscribe),
      web: safeUrl(data.links?.web),
      signIn: safeUrl(data.links?.signIn),
    },
    locale,
  };
}

/** The name people use for each other: the first word of a full name ("Ann" of "Ann Lee"). */
export function firstName(full: string): string {
  const first = full.trim().split(/\s+/)[0] ?? '';
  // A fallback phrase ("the prospect") or an initial stays whole.
  return first.length >= 2 && /^\p{Lu}/u.test(first) ? first : full;
}

/** "Hi Ann," (or "Hello," when we have no name). */
export function greeting(v: EmailView): string {
  return v.recipient ? `Hi ${firstName(v.recipient)},` : 'Hello,';
}

/** "Bob Brown (Brown & Co)". */
export function withCompany(name: string, company: string): string {
  return company ? `${name} (${company})` : name;
}

/** Name as a short display: business after it when known. */
export function providerLabel(v: EmailView): string {
  return withCompany(v.provider, v.providerBusiness);
}

export function prospectLabel(v: EmailView): string {
  return withCompany(v.prospect, v.prospectCompany);
}
