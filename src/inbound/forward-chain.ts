import EmailForwardParser, { type EmailForwardMailbox, type EmailForwardResult } from 'email-forward-parser';
import type { Address, ForwardedMessage } from './mail-types.js';
import { stripSubjectPrefixes } from './subject.js';

/** The text of a message split into the sender's own words and the inline forwards below them. */
export interface InlineForwardSplit {
  /** Text above the first forwarded part (the whole text when nothing was forwarded). */
  ownText: string;
  /** Outermost first; each entry's body stops where the next forward starts. */
  forwarded: ForwardedMessage[];
}

// The parser is stateless between calls; one instance saves recompiling its regexes per mail.
const parser = new EmailForwardParser();

/**
 * Finds inline forwards (Gmail "Forwarded message", Outlook From:/Sent: blocks, Apple "Begin forwarded message:",
 * Thunderbird and the localised variants email-forward-parser knows) and follows forwards of forwards,
 * at most `maxDepth` deep.
 */
export function splitInlineForwards(text: string, subject: string, maxDepth: number): InlineForwardSplit {
  const forwarded: ForwardedMessage[] = [];
  let ownText = text;
  let current = text;
  let currentSubject = subject;

  for (let depth = 0; depth < maxDepth; depth++) {
    const result = readForward(current, currentSubject);
    if (!result) break;
    const email = result.email;
    const message = (result.message ?? '').trim();
    if (depth === 0) ownText = message;
    else forwarded[depth - 1].body = message;

    forwarded.push({
      from: toAddress(email.from),
      to: toAddresses(email.to),
      cc: toAddresses(email.cc),
      subject: (email.subject ?? '').trim(),
      date: email.date?.trim() || undefined,
      body: (email.body ?? '').trim(),
      via: 'inline',
    });
    current = email.body ?? '';
    currentSubject = email.subject ?? '';
  }
  return { ownText, forwarded };
}

/**
 * email-forward-parser only recognises some clients' blocks when the subject looks forwarded, and knows only some
 * languages' tags ("Doorst:" is missing). A member may also edit the subject, and a nested forward's own subject
 * often has no tag at all. So when the subject as written finds nothing, the text is read again as "Fwd:" and
 * "FW:" (the block itself is the evidence). A result without a sender is the parser trusting the subject alone
 * (a note with the original attached), not an inline forward.
 */
function readForward(text: string, subject: string): EmailForwardResult | undefined {
  const bare = stripSubjectPrefixes(subject);
  for (const candidate of [subject, `Fwd: ${bare}`, `FW: ${bare}`]) {
    const result = parser.read(text, candidate);
    if (result.forwarded && (result.email.from?.address || result.email.from?.name)) return result;
  }
  return undefined;
}

// The forward block may name a sender without an address (Outlook shows only the name for address-book
// contacts); the name is still worth keeping, so such an address carries email ''.
function toAddress(mailbox: EmailForwardMailbox | null | undefined): Address | undefined {
  const email = (mailbox?.address ?? '').trim().toLowerCase();
  const name = cleanName(mailbox?.name ?? '', email);
  if (!email && !name) return undefined;
  return { name, email };
}

function toAddresses(value: EmailForwardMailbox | EmailForwardMailbox[] | null | undefined): Address[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map(toAddress).filter((address): address is Address => address !== undefined && address.email !== '');
}

function cleanName(name: string, email: string): string {
  const trimmed = name.trim().replace(/^["']+|["']+$/g, '').trim();
  return trimmed.toLowerCase() === email ? '' : trimmed;
}
