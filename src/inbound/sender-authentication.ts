/**
 * Is the From address of an inbound mail proven? Decided from SES's receipt verdicts and the message
 * headers alone, before anything is parsed or answered (no backscatter to forged senders).
 *
 * - DMARC PASS: yes (SPF or DKIM passed aligned with the From domain, checked by SES).
 * - No DMARC policy (SES: GRAY) — common for small businesses: yes when SPF passed for an envelope
 *   sender aligned with the From domain, or DKIM passed and every DKIM signature's `d=` is aligned
 *   with it. SES's dkimVerdict says only that *a* signature verified; a forger can add a valid
 *   signature of their own domain next to a broken one claiming the member's, so one unaligned
 *   signature makes the DKIM pass worthless here.
 * - Anything else (DMARC FAIL, a DNS failure, no verdicts): no.
 *
 * Alignment is DMARC's relaxed mode, approximated without the public-suffix list: the domains are equal
 * or one is a subdomain of the other. That rejects some sibling subdomains DMARC would accept (safe),
 * and accepts nothing a forger could sign for: they would need a key published in the member's domain
 * or one of its parents.
 */
import { addressParser } from 'postal-mime';

export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | (string & {});

export interface AuthenticationEvidence {
  spf?: Verdict;
  dkim?: Verdict;
  dmarc?: Verdict;
  /** SMTP MAIL FROM (SES `mail.source`); empty for bounces. */
  envelopeFrom: string;
  /** Every header as received (SES `mail.headers`), in order. */
  headers: readonly { name: string; value: string }[];
}

export type UntrustedReason = 'dmarc_fail' | 'no_aligned_pass' | 'unverifiable';

export type SenderTrust =
  | { trusted: true; from: string; by: 'dmarc' | 'aligned_spf' | 'aligned_dkim' }
  | { trusted: false; from?: string; reason: UntrustedReason };

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');

/** DMARC relaxed alignment, approximated (see the module comment). */
export function aligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (!x || !y || !x.includes('.') || !y.includes('.')) return false;
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/** The single From address, or undefined when there is none or more than one (DMARC rejects those too). */
export function singleFromAddress(headers: AuthenticationEvidence['headers']): string | undefined {
  const froms = headers.filter((h) => h.name.toLowerCase() === 'from');
  if (froms.length !== 1) return undefined;
  const mailboxes = addressParser(froms[0]!.value, { flatten: true }).filter((m) => m.address);
  if (mailboxes.length !== 1) return undefined;
  const address = (mailboxes[0]!.address ?? '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : undefined;
}

/** The `d=` tag of each DKIM-Signature header ('' when a signature has none). */
export function dkimSigningDomains(headers: AuthenticationEvidence['headers']): string[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'dkim-signature')
    .map((h) => /(?:^|;)\s*d\s*=\s*([^;\s]+)/i.exec(h.value.replace(/\r?\n[ \t]/g, ' '))?.[1]?.toLowerCase() ?? '');
}

export function authenticateSender(evidence: AuthenticationEvidence): SenderTrust {
  const from = singleFromAddress(evidence.headers);
  if (!from) return { trusted: false, reason: 'unverifiable' };
  const fromDomain = domainOf(from);
  if (evidence.dmarc === 'PASS') return { trusted: true, from, by: 'dmarc' };
  if (evidence.dmarc === 'FAIL') return { trusted: false, from, reason: 'dmarc_fail' };
  // SES says GRAY when the From domain publishes no DMARC policy; anything else is not an answer.
  if (evidence.dmarc !== 'GRAY') return { trusted: false, from, reason: 'unverifiable' };
  if (evidence.spf === 'PASS' && evidence.envelopeFrom && aligned(domainOf(evidence.envelopeFrom), fromDomain)) {
    return { trusted: true, from, by: 'aligned_spf' };
  }
  const signers = dkimSigningDomains(evidence.headers);
  if (evidence.dkim === 'PASS' && signers.length > 0 && signers.every((d) => aligned(d, fromDomain))) {
    return { trusted: true, from, by: 'aligned_dkim' };
  }
  return { trusted: false, from, reason: 'no_aligned_pass' };
}

/**
 * The header fields of a raw message, unfolded, without reading its body: for when SES left the headers
 * out of the receipt event (too long). Bytes are read as Latin-1, enough for names and ASCII values.
 */
export function headerFields(raw: Uint8Array): { name: string; value: string }[] {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 256 * 1024)).toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  const block = end ? text.slice(0, end.index) : text;
  const fields: { name: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1]!.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  return fields;
}
