/**
 * The new words of a reply, the way a person reads it (PRODUCT.md "Email as the interface"):
 * quoted history, "On … wrote:" in common languages, Outlook header blocks, signatures and
 * "Sent from my iPhone" are removed. Pure; no I/O.
 */
import EmailReplyParser from 'email-reply-parser';
import { htmlToPlainText } from './html-to-plain-text.js';
import {
  attributionLength,
  isClosingLine,
  isFollowedByQuote,
  isQuotedLine,
  startsHistory,
  startsSignature,
} from './quote-markers.js';

/**
 * email-reply-parser's patterns backtrack on long lines; the new text of a reply sits at the top, so
 * what follows this many characters (after our own cut) is not worth the CPU.
 */
const MAX_TEXT_FOR_LIBRARY = 8_000;
const MAX_INPUT = 2_000_000;

/** Zero-width characters that break word matching; U+200D is kept because emoji sequences need it. */
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u00AD]/g;

function normalise(text: string): string {
  return text
    .slice(0, MAX_INPUT)
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/[\u00A0\u202F]/g, ' ');
}

/**
 * Our own pass, line by line from the top: drops "> " lines, stops at the first attribution that is
 * not followed by quoted lines (top-posting: everything below is history), skips the attribution
 * when it is (bottom-posting or inline answers), and stops at header blocks and signatures.
 */
function cutHistory(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isQuotedLine(line)) continue;
    const attribution = attributionLength(lines, i);
    if (attribution > 0) {
      if (isFollowedByQuote(lines, i + attribution)) {
        i += attribution - 1;
        continue;
      }
      break;
    }
    if (startsHistory(lines, i) || startsSignature(line)) break;
    kept.push(line);
  }
  return kept.join('\n');
}

/**
 * Drops a trailing sign-off ("Thanks,\nPriya") when there are words above it and only a short block
 * (name, business, phone) below it. A sign-off on the first line is kept: for a provider answering
 * the thank-you prompt, "Thanks so much!" is the message.
 */
function cutSignOff(text: string): string {
  const lines = text.split('\n');
  const withWords = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i]));
  // A sign-off sits in the last few lines; looking only there keeps this linear on any input.
  const candidates = withWords.slice(Math.max(1, withWords.length - 6));
  for (const k of candidates) {
    if (!isClosingLine(lines[k])) continue;
    const below = withWords.filter((j) => j > k);
    if (below.every((j) => lines[j].trim().length <= 80)) return lines.slice(0, k).join('\n');
  }
  return text;
}

const replyParser = new EmailReplyParser();

/** email-reply-parser for what our pass misses (its sign-off and quote rules); never trusted to lose everything. */
function libraryPass(text: string): string {
  const bounded = text.length > MAX_TEXT_FOR_LIBRARY ? text.slice(0, MAX_TEXT_FOR_LIBRARY) : text;
  try {
    const visible = replyParser.parseReply(bounded);
    return visible.trim() === '' ? bounded : visible;
  } catch {
    return bounded;
  }
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The new text of a reply: the plain-text part when it has words, else the HTML part converted to
 * text; quoted history, attributions ("On … wrote:", "Am … schrieb …:", "Le … a écrit :" …),
 * Outlook header blocks, separators, signatures and device lines removed. Emojis are kept.
 * Never throws; returns '' when nothing new was written.
 */
export function extractReplyText(input: { text?: string; html?: string }): string {
  const text = typeof input?.text === 'string' ? input.text : '';
  const html = typeof input?.html === 'string' ? input.html : '';
  const source = text.trim() !== '' ? text : html.trim() !== '' ? htmlToPlainText(html) : '';
  if (source === '') return '';
  const own = cutSignOff(cutHistory(normalise(source)));
  if (own.trim() === '') return '';
  return tidy(libraryPass(own));
}
