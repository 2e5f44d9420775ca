/**
 * String helpers shared by the email templates: every piece of user-supplied text goes through
 * `oneLine` (names, subjects, short fields) or `multiLine` (notes, relayed words) before it is
 * shown, so both the HTML and the text part see the same cleaned value. HTML escaping itself is
 * Hono JSX's job; these helpers deal with what escaping cannot: line breaks in headers, bidi
 * overrides that reorder what follows, control characters and absurd lengths.
 */
import type { Money, Status } from '../../src/domain/types.js';

export const SUBJECT_MAX = 150;
/** Longest name shown in a body; a name inside a subject is cut shorter (SUBJECT_NAME_MAX). */
export const NAME_MAX = 100;
export const SUBJECT_NAME_MAX = 40;
/** Short free text (need, company, business, lost reason). */
export const SHORT_MAX = 300;
/** Long free text (notes, relayed words, comments). */
export const TEXT_MAX = 4000;

// Embeddings, overrides and isolates (LRE…RLO, LRI…PDI): a U+202E in a name would visually
// reverse the rest of the line, in subjects as much as in bodies. Real RTL text needs none of them.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// C0/C1 controls except tab and line feed (handled separately), plus BOM.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFEFF]/g;
const LINE_BREAKS = /\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/g;

// Made on first use: building a segmenter loads ICU break data (about 10 ms), too dear for every cold start.
let graphemes: Intl.Segmenter | undefined;

/**
 * Cuts `value` to at most `max` user-perceived characters (never inside an emoji or a combining
 * sequence), preferring a word boundary near the end, and marks the cut with "…".
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  // Segments are produced lazily, so a 10 MB input costs only the first `max` graphemes.
  const kept: string[] = [];
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(value)) {
    if (kept.length === max) {
      const head = kept.slice(0, max - 1).join('');
      const lastSpace = head.lastIndexOf(' ');
      const cut = lastSpace >= head.length * 0.75 ? head.slice(0, lastSpace) : head;
      return `${cut.trimEnd()}…`;
    }
    kept.push(segment);
  }
  return value; // at most `max` graphemes, just long in UTF-16 units
}

/** A single line of user text: no line breaks, tabs, controls or bidi overrides; spaces collapsed. */
export function oneLine(value: string | undefined | null, max = NAME_MAX): string {
  if (!value) return '';
  const cleaned = value
    .replace(LINE_BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(BIDI_CONTROLS, '')
    .replace(CONTROLS, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(cleaned, max);
}

/** Multi-line user text: line breaks kept (as \n, at most one blank line in a row), controls removed. */
export function multiLine(value: string | undefined | null, max = TEXT_MAX): string {
  if (!value) return '';
  const cleaned = value
    .replace(LINE_BREAKS, '\n')
    .replace(/\t/g, '  ')
    .replace(BIDI_CONTROLS, '')
    .replace(CONTROLS, '')
    .split('\n')
    .map((line) => line.replace(/[ \u00A0]+$/u, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(cleaned, max);
}

/**
 * A value safe for a mail header (Subject, display names): one line, no CR/LF, cut at `max`.
 * Exported for whoever builds headers, so they are stripped the same way the subjects are.
 */
export function headerValue(value: string, max = SUBJECT_MAX): string {
  return oneLine(value, max);
}

/** Final tidy of a text part: \n line endings, no trailing spaces, one final newline. */
export function normaliseText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** Money as the reader expects it, e.g. "£4,500" or "€3,200.50"; an unknown currency code still reads well. */
export function formatMoney(money: Money, locale = 'en-GB'): string {
  const fractionDigits = Number.isInteger(money.amount) ? 0 : 2;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    }).format(money.amount);
  } catch {
    // RangeError: not an ISO 4217 code (or a bad locale). Show the number and whatever code we have.
    const amount = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(money.amount);
    return `${amount} ${oneLine(money.currency, 10)}`.trim();
  }
}

/** Only absolute http(s) URLs become links; anything else (javascript:, data:, relative) is dropped. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  if (/[\s<>"'`]/.test(trimmed) || trimmed.length > 2000) return undefined;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** "Subject headline: Prospect → Provider", with both names short enough to survive the cut. */
export function referralSubject(headline: string, prospect: string, provider: string): string {
  const pair = `${oneLine(prospect, SUBJECT_NAME_MAX) || 'prospect'} → ${oneLine(provider, SUBJECT_NAME_MAX) || 'provider'}`;
  const head = oneLine(headline, SUBJECT_MAX - pair.length - 2);
  const sep = /[?!:]$/.test(head) ? ' ' : ': ';
  return headerValue(`${head}${sep}${pair}`);
}

/** A name cut for a subject line. */
export function subjectName(name: string | undefined, fallback: string): string {
  return oneLine(name, SUBJECT_NAME_MAX) || fallback;
}

/** Milestone wording, from the referrer's side. */
export const STATUS_LABEL: Record<Status, string> = {
  needs_info: 'Needs details',
  logged: 'Logged',
  contacted: 'In touch',
  met: 'Met',
  proposal: 'Proposal sent',
  won: 'Won',
  lost: 'Lost',
  passed: 'Passed on',
  withdrawn: 'Withdrawn',
  dormant: 'Gone quiet',
};

/** BNI-style temperature, 1 = contact details only … 5 = met them together. */
export const TEMPERATURE_LABEL: Record<number, string> = {
  1: 'contact details only',
  2: 'they know to expect a call',
  3: 'they are keen to talk',
  4: 'personally introduced and recommended',
  5: 'met them together',
};

export function temperatureText(temperature: number | undefined): string {
  if (temperature === undefined || !Number.isInteger(temperature) || temperature < 1 || temperature > 5) return '';
  return `${temperature}/5 – ${TEMPERATURE_LABEL[temperature]}`;
}

/** Relayed words in a text part, quoted so they cannot pass for our own text. */
export function quoteText(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
}
