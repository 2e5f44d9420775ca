import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/** A phone number found in free text. */
export interface FoundPhone {
  /** Exactly as the person wrote it ("07700 900123"): what people recognise and what the prospect gave. */
  written: string;
  /** E.164 ("+441174960321"), only when the number is valid for its country. */
  e164?: string;
}

/** Text beyond this is not searched: a phone number that matters sits in a note or a signature. */
const MAX_SEARCH_CHARS = 100_000;
/** Enough for any signature; also bounds the re-searches below. */
const MAX_PHONES = 20;
/** Digits a national number written without a country code needs before we believe it is a phone number. */
const MIN_NATIONAL_DIGITS = 10;

/**
 * Finds phone numbers in text, in order of appearance. Valid numbers get their E.164 form; numbers that are only
 * *possible* (UK drama ranges like 07700 900xxx, new ranges the metadata does not know yet) are kept as written
 * when they look like a phone number: a leading + or 0 and enough digits, so order numbers and dates stay out.
 * Validity, not just length, decides whether E.164 is given. The library's default ("min") metadata keeps the full
 * per-type patterns only for countries that share a calling code (GB with GG/JE, +1 with CA, AU, IT, …), so UK and
 * North American numbers are checked as strictly as with "max" (07700 900xxx stays without E.164); elsewhere (NL, DE,
 * IE, …) min checks the country's broad pattern, so an unallocated but well-formed number may get E.164. "max" would
 * add 130 KiB to every bundle that reads mail for that.
 */
export function findPhones(text: string, defaultCountry: CountryCode = 'GB'): FoundPhone[] {
  const searched = text.slice(0, MAX_SEARCH_CHARS);
  const found: FoundPhone[] = [];
  let offset = 0;
  search: while (found.length < MAX_PHONES) {
    for (const match of findPhoneNumbersInText(searched.slice(offset), { defaultCountry, extended: true })) {
      const span = searched.slice(offset + match.startsAt, offset + match.endsAt);
      const written = tightSpan(span, match.number.number, defaultCountry);
      if (match.number.isValid()) found.push({ written, e164: match.number.number });
      else if (looksLikePhone(written)) found.push({ written });
      // An over-long span swallowed the start of the next number: search again right after this one.
      if (written.length < span.trim().length) {
        offset += match.startsAt + span.indexOf(written) + written.length;
        continue search;
      }
    }
    break;
  }
  return found.slice(0, MAX_PHONES);
}

/** The first phone number found in the texts, searched in the order given. */
export function firstPhone(texts: readonly string[], defaultCountry: CountryCode = 'GB'): FoundPhone | undefined {
  for (const text of texts) {
    const [phone] = findPhones(text, defaultCountry);
    if (phone) return phone;
  }
  return undefined;
}

function looksLikePhone(written: string): boolean {
  const digits = written.replace(/\D/g, '');
  if (written.startsWith('+')) return digits.length >= 8;
  return /^\(?0/.test(written) && digits.length >= MIN_NATIONAL_DIGITS;
}

/**
 * libphonenumber-js sometimes reports a span running past the number ("0161 496 0000, 020" for two numbers in a
 * list); cut it back to the shortest prefix that still parses to the same number.
 */
function tightSpan(span: string, e164: string, defaultCountry: CountryCode): string {
  const trimmed = span.trim();
  for (let end = 1; end <= trimmed.length; end++) {
    if (!/\d/.test(trimmed[end - 1])) continue;
    const prefix = trimmed.slice(0, end);
    if (parsePhoneNumberFromString(prefix, defaultCountry)?.number === e164) return prefix;
  }
  return trimmed;
}
