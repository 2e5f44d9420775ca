import type { Prospect } from '../domain/types.js';
import type { Address, ParsedMail } from './mail-types.js';
import { readProspectLine } from './note-directives.js';
import { firstPhone } from './phone.js';

/** The prospect a logging email points at, and whether the prospect received the email itself. */
export interface ProspectChoice {
  prospect?: Partial<Prospect>;
  /** The prospect is in the outer To/Cc: this very email reached them. */
  addressedDirectly: boolean;
}

/** What choosing a prospect looks at. */
export interface ProspectEvidence {
  mail: ParsedMail;
  prospectLine?: string;
  /** Outer To/Cc, referrer and inbound-domain addresses removed. */
  parties: Address[];
  /** The log address was only in Bcc: the To/Cc people are the parties. */
  bccMode: boolean;
  /** An active member's address, or one on the inbound domain: never a prospect. */
  isExcludedAddress: (email: string) => boolean;
  /** The full name of an active member (an Outlook forward may show a name without an address). */
  isMemberName: (name: string) => boolean;
  /** Texts searched for a phone number, in order (the note first). */
  phoneTexts: string[];
}

/**
 * Prospect: an explicit `prospect:` line (the referrer saying who, like the `prospect:` correction reply),
 * else the original sender of the forwarded message when not a member — the innermost one, walking outwards
 * past members — else a non-member in the outer To/Cc. In Bcc mode the To/Cc people come before the forward.
 */
export function chooseProspect(evidence: ProspectEvidence): ProspectChoice {
  const { mail, parties, bccMode, isExcludedAddress, isMemberName } = evidence;
  const fromLine = evidence.prospectLine ? prospectFromLine(evidence.prospectLine, isExcludedAddress) : undefined;

  const couldBeProspect = (from?: Address): from is Address =>
    !!from &&
    !!(from.email || from.name) &&
    !(from.email && (isExcludedAddress(from.email) || from.email === mail.from?.email)) &&
    !isMemberName(from.name);
  const original = [...mail.forwarded]
    .reverse()
    .map((message) => message.from)
    .find(couldBeProspect);
  const addressed = parties.find((party) => !isExcludedAddress(party.email));

  const chosen = fromLine ?? (bccMode ? addressed ?? original : original ?? addressed);
  if (!chosen) {
    const phone = firstPhone(evidence.phoneTexts);
    const prospect = phone ? dropEmpty({ phone: phone.written, phoneE164: phone.e164 }) : undefined;
    return { prospect, addressedDirectly: false };
  }

  const prospect: Partial<Prospect> = { ...chosen };
  prospect.name = displayName(chosen.name ?? '', chosen.email);
  if (!prospect.email) delete prospect.email;
  if (!prospect.phone) {
    const phone = firstPhone(evidence.phoneTexts);
    if (phone) {
      prospect.phone = phone.written;
      if (phone.e164) prospect.phoneE164 = phone.e164;
    }
  }
  const addressedDirectly = !!prospect.email && parties.some((party) => party.email === prospect.email);
  return { prospect: dropEmpty(prospect), addressedDirectly };
}

function prospectFromLine(line: string, isExcludedAddress: (email: string) => boolean): Partial<Prospect> | undefined {
  const read = readProspectLine(line);
  if (read.email && isExcludedAddress(read.email)) return undefined;
  if (!read.name && !read.email && !read.phone) return undefined;
  return read;
}

// Shared mailboxes say nothing about the person; the domain is then the better name.
const GENERIC_LOCAL_PART =
  /^(info|hello|hi|contact|office|admin|enquiries|enquiry|sales|mail|team|support|bookings|accounts)$/i;

/**
 * A name for display: the header's display name ("Price, Helen" turned round), else one made from the address
 * ("helen.price@" → "Helen Price"; "info@stonebakery" → "Stonebakery").
 */
export function displayName(name: string, email?: string): string {
  const trimmed = name.trim();
  const lastFirst = /^([^,@]+),\s*([^,@]+)$/.exec(trimmed);
  if (lastFirst) return `${lastFirst[2].trim()} ${lastFirst[1].trim()}`;
  if (trimmed || !email) return trimmed;

  const [local, domain = ''] = email.split('@');
  const source = GENERIC_LOCAL_PART.test(local) ? domain.split('.')[0] : local;
  return source
    .split(/[._+-]+/)
    .filter((part) => /\p{L}/u.test(part))
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join(' ');
}

function dropEmpty(prospect: Partial<Prospect>): Partial<Prospect> {
  return Object.fromEntries(Object.entries(prospect).filter(([, value]) => value !== undefined && value !== ''));
}
