import type { Prospect } from '../domain/types.js';
import type { Address, ParsedMail } from './mail-types.js';
import { readNoteDirectives } from './note-directives.js';
import { chooseProspect } from './prospect-choice.js';
import { tellApartWords } from '../members/tell-apart.js';
import { chooseProvider, type ProviderChoice } from './provider-choice.js';
import { stripSubjectPrefixes } from './subject.js';
import { distinct, indexByAddress, normaliseWord, type RosterMember } from './roster-match.js';

export type { RosterMember } from './roster-match.js';

/** Everything needed to tell who is who in a mail to a group's log address. */
export interface ResolvePartiesInput {
  mail: ParsedMail;
  /** SMTP RCPT TO / SES receipt recipients: where the log address shows up when it was only in Bcc. */
  envelopeTo: readonly string[];
  /** The group's log address. */
  logAddress: string;
  /** The inbound mail domain: no address on it is ever a provider or a prospect. */
  inboundDomain: string;
  roster: readonly RosterMember[];
}

/** A member offered when the provider is unclear. */
export interface ProviderCandidate {
  id: string;
  name: string;
  email: string;
}

/** What a referral read from email says, complete or not. */
interface ReadReferral {
  referrerId: string;
  need: string;
  /** The referrer's own words, as written (signature removed). */
  note: string;
  /** An `intro:` line: the referrer's one line for the prospect. */
  introLine?: string;
  /** Stated by logging unless the note says "no intro" (PRODUCT.md "consent"). */
  consent: boolean;
  /** The email itself introduced the prospect (Bcc mode): no second introduction. */
  introducedByReferrer: boolean;
}

/** Everything is known: log the referral. */
export interface ReferralFromMail extends ReadReferral {
  kind: 'referral';
  providerId: string;
  prospect: Prospect;
}

/** Something is unclear: keep a draft and ask the referrer `question`. */
export interface NeedsInfoFromMail extends ReadReferral {
  kind: 'needs_info';
  providerId?: string;
  prospect?: Partial<Prospect>;
  missing: ('provider' | 'prospect')[];
  providerCandidates: ProviderCandidate[];
  /** One or two sentences asking exactly what is missing, naming the candidates and the reply to send. */
  question: string;
}

/** The sender is not an active member: at most one polite refusal a day. */
export interface NotMemberMail {
  kind: 'not_member';
  senderEmail: string;
}

/**
 * Never answered: an auto-reply or bounce, a mail without a usable sender, or mail from our own inbound domain
 * (answering that could loop).
 */
export interface IgnoredMail {
  kind: 'ignore';
  reason: 'auto_reply' | 'no_sender' | 'own_domain';
}

/** What a mail to the log address amounts to. */
export type MailResolution = ReferralFromMail | NeedsInfoFromMail | NotMemberMail | IgnoredMail;

/** Notes are short; a huge body is not scanned word by word for member names. */
const MAX_NOTE_CHARS = 20_000;

/**
 * Tells who is who in a mail sent to the log address (PRODUCT.md "Logging by email"): the referrer (sender),
 * the provider (a member named in the note or addressed in the outer To/Cc) and the prospect (the original
 * sender of what was forwarded, else a non-member in To/Cc, else a `prospect:` line). Pure: no I/O, never throws
 * on any parsed mail.
 */
export function resolveReferralFromMail(input: ResolvePartiesInput): MailResolution {
  const { mail } = input;
  if (mail.autoReply) return { kind: 'ignore', reason: 'auto_reply' };
  const sender = mail.from?.email;
  if (!sender) return { kind: 'ignore', reason: 'no_sender' };

  const logAddress = input.logAddress.trim().toLowerCase();
  const domain = input.inboundDomain.trim().toLowerCase();
  const isOurs = (email: string): boolean =>
    email === logAddress || (domain !== '' && (email.endsWith(`@${domain}`) || email.endsWith(`.${domain}`)));
  if (isOurs(sender)) return { kind: 'ignore', reason: 'own_domain' };

  const members = indexByAddress(input.roster);
  const referrer = members.get(sender);
  if (!referrer) return { kind: 'not_member', senderEmail: sender };

  const outer = [...mail.to, ...mail.cc];
  // The people this email went to, besides the referrer and us: where provider and prospect are looked for.
  const parties = distinctAddresses(outer).filter(
    (address) => !isOurs(address.email) && members.get(address.email)?.id !== referrer.id,
  );
  const bccMode =
    input.envelopeTo.some((address) => address.trim().toLowerCase() === logAddress) &&
    !outer.some((address) => address.email === logAddress);

  const directives = readNoteDirectives(mail.note.slice(0, MAX_NOTE_CHARS));
  const others = input.roster.filter((m) => m.status === 'active' && m.id !== referrer.id);
  const memberNames = new Set(others.map((m) => normaliseWord(m.name)));

  const { prospect, addressedDirectly } = chooseProspect({
    mail,
    prospectLine: directives.prospectLine,
    parties,
    bccMode,
    isExcludedAddress: (email) => members.has(email) || isOurs(email),
    isMemberName: (name) => memberNames.has(normaliseWord(name)),
    phoneTexts: [directives.remainder, ...[...mail.forwarded].reverse().map((message) => message.body)],
  });

  const addressed = distinct(parties.flatMap((address) => members.get(address.email) ?? []));
  const choice = chooseProvider({
    directives,
    others,
    addressed,
    ignoredFirstNames: firstNamesOfOutsiders(mail, prospect, (email) => members.has(email)),
  });

  const providerAddressed = addressed.some((member) => member.id === choice.provider?.id);
  const noteForNeed = choice.usedLeadFor && directives.leadFor ? directives.leadFor.noteWithout : directives.remainder;
  const read: ReadReferral = {
    referrerId: referrer.id,
    need: needText(mail, noteForNeed),
    note: mail.note,
    ...(directives.introLine ? { introLine: directives.introLine } : {}),
    consent: !directives.noIntro,
    // Bcc mode, or a visible log address on an email that went to both prospect and provider: either way the
    // email itself was the introduction, and a second one would be noise.
    introducedByReferrer: bccMode || (addressedDirectly && providerAddressed),
  };

  if (choice.provider && prospect?.name) {
    return { kind: 'referral', ...read, providerId: choice.provider.id, prospect: prospect as Prospect };
  }
  const missing: NeedsInfoFromMail['missing'] = [];
  if (!choice.provider) missing.push('provider');
  if (!prospect?.name) missing.push('prospect');
  return {
    kind: 'needs_info',
    ...read,
    providerId: choice.provider?.id,
    prospect,
    missing,
    providerCandidates: choice.candidates.map(({ id, name, email }) => ({ id, name, email })),
    question: askFor(missing, choice),
  };
}

/** Need = the referrer's note and the forwarded subject (forwarding prefixes stripped), each once. */
function needText(mail: ParsedMail, note: string): string {
  const forwardedSubject = [...mail.forwarded].reverse().find((message) => message.subject.trim())?.subject;
  const subject = stripSubjectPrefixes(forwardedSubject ?? mail.subject);
  const parts = [subject, note.trim()].filter((part) => part !== '');
  if (parts.length === 2 && parts[1].toLowerCase().includes(parts[0].toLowerCase())) parts.shift();
  if (parts.length > 0) return parts.join('\n\n');
  // Nothing written and no subject: the prospect's own words are the best description of the need.
  return (mail.forwarded.at(-1)?.body ?? '').slice(0, 500).trim();
}

/** One sentence per missing part, each saying what to reply. */
function askFor(missing: NeedsInfoFromMail['missing'], choice: ProviderChoice): string {
  const sentences: string[] = [];
  if (missing.includes('provider')) {
    if (choice.unmatchedFor) {
      sentences.push(`I couldn't find another active member matching "${choice.unmatchedFor}".`);
    }
    if (choice.candidates.length > 1) {
      const names = choice.candidates.map(describe);
      const list = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
      const words = tellApartWords(choice.candidates);
      const oneWord = words.every(Boolean) ? ` One word is enough: ${words.map((w) => `\`${w}\``).join(' or ')}.` : '';
      sentences.push(`Did you mean ${list}? Reply \`provider: <name or email>\`.${oneWord}`);
    } else if (choice.candidates.length === 1) {
      sentences.push(`Is this for ${describe(choice.candidates[0])}? Reply \`provider: <name or email>\`.`);
    } else {
      sentences.push('Which member should this referral go to? Reply `provider: <name or email>`.');
    }
  }
  if (missing.includes('prospect')) {
    sentences.push('Who is the person who needs help? Reply `prospect: Name <email>` (a phone number works too).');
  }
  return sentences.join(' ');
}

function describe(member: RosterMember): string {
  return member.business ? `${member.name} (${member.business})` : `${member.name} <${member.email}>`;
}

/** First names of the non-members in this mail: the same first name in the note means them, not a member. */
function firstNamesOfOutsiders(
  mail: ParsedMail,
  prospect: Partial<Prospect> | undefined,
  isMember: (email: string) => boolean,
): Set<string> {
  const people: Address[] = [
    ...mail.to,
    ...mail.cc,
    ...mail.forwarded.flatMap((message) => [...(message.from ? [message.from] : []), ...message.to, ...message.cc]),
  ].filter((address) => !address.email || !isMember(address.email));
  const names = [...people.map((address) => address.name), prospect?.name ?? ''];
  return new Set(names.map((name) => normaliseWord(name.trim().split(/\s+/)[0] ?? '')).filter((name) => name !== ''));
}

function distinctAddresses(addresses: readonly Address[]): Address[] {
  return [...new Map(addresses.map((a) => [a.email, a])).values()];
}
