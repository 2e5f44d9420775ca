/**
 * Money written the way people write it in a reply: `4500`, `$4,500`, `4.5k`, `£3.2k`, `€3 000`,
 * `3,000 EUR`, `GBP 1200`, `1.200,50 €`, `4,500.00`, `4 grand`, `300 quid`. Pure.
 */
import type { Money } from '../domain/types.js';

/** Longest first, so "US$" wins over "$". */
const SYMBOLS: readonly (readonly [string, string])[] = [
  ['US$', 'USD'],
  ['AU$', 'AUD'],
  ['A$', 'AUD'],
  ['CA$', 'CAD'],
  ['C$', 'CAD'],
  ['NZ$', 'NZD'],
  ['S$', 'SGD'],
  ['HK$', 'HKD'],
  ['R$', 'BRL'],
  ['£', 'GBP'],
  ['€', 'EUR'],
  ['¥', 'JPY'],
  ['₹', 'INR'],
  ['$', '$'],
];

/** ISO codes accepted as written; none of them is also an everyday English word. */
const CODES = [
  'GBP', 'USD', 'EUR', 'AUD', 'CAD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF',
  'JPY', 'INR', 'ZAR', 'SGD', 'HKD', 'AED', 'BRL', 'MXN',
];

const WORDS: Record<string, string> = {
  pound: 'GBP', pounds: 'GBP', quid: 'GBP', sterling: 'GBP',
  euro: 'EUR', euros: 'EUR',
  dollar: '$', dollars: '$', bucks: '$',
};

/** Where "$" is the local dollar rather than the US one. */
const DOLLAR_CURRENCIES = new Set(['USD', 'AUD', 'CAD', 'NZD', 'SGD', 'HKD']);

const escape = (s: string) => s.replace(/[$]/g, '\\$');
const SYMBOL_SRC = SYMBOLS.map(([s]) => escape(s)).join('|');
const CODE_SRC = CODES.join('|');
const WORD_SRC = Object.keys(WORDS).sort((a, b) => b.length - a.length).join('|');

/**
 * One candidate: an optional currency before, the digits (with "," "." "'" or space groupings), an
 * optional multiplier, an optional currency after. Quantifiers are bounded so the scan stays linear.
 */
const CANDIDATE = new RegExp(
  `(?:(?<before>${SYMBOL_SRC}|(?<![\\p{L}])(?:${CODE_SRC})(?![\\p{L}]))[ \\t]{0,2}|(?<![\\p{L}\\p{N}.,]))` +
    `(?<digits>\\d{1,15}(?:[.,' ]\\d{1,15}){0,6})` +
    `(?:[ \\t]{0,2}(?<mult>k|m|mn|grand|thousand)(?![\\p{L}\\p{N}]))?` +
    `(?:[ \\t]{0,2}(?<after>${SYMBOL_SRC}|(?<![\\p{L}])(?:${CODE_SRC}|${WORD_SRC})(?![\\p{L}])))?`,
  'giu',
);

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\\.?';
/** Words after a bare number that make it something other than money. */
const NOT_MONEY_AFTER = new RegExp(
  `^\\s{0,3}(?:%|x(?![\\p{L}])|(?:days?|weeks?|wks?|months?|mths?|years?|yrs?|hours?|hrs?|h|mins?|minutes?|am|pm|a\\.m\\.|p\\.m\\.|st|nd|rd|th|people|persons?|staff|employees|units?|items?|pcs|sq|m2|km|miles?|times|o'clock|stars?|of\\s+(?:5|five|10))(?![\\p{L}])|${MONTH}(?![\\p{L}])|[/:]\\s?\\d|-\\d)`,
  'iu',
);
/** What comes right before a bare number that makes it a date, a reference or a phone number. */
const NOT_MONEY_BEFORE = new RegExp(`(?:[:/#+]|\\d[ -]|(?:no|ref|tel|phone|mob|mobile|ext|room|unit|flat|page)\\.?\\s{0,2}|${MONTH}\\s{1,2})$`, 'iu');
/** "in 2026", "since 2019": a year, not an amount. */
const YEAR_BEFORE = /(?:in|since|by|until|till|from|of|year)\s{1,2}$/i;

interface Candidate {
  money: Money;
  explicit: boolean;
}

function resolveCurrency(written: string, defaultCurrency: string): string {
  const upper = written.toUpperCase();
  const mapped = SYMBOLS.find(([s]) => s.toUpperCase() === upper)?.[1] ?? WORDS[written.toLowerCase()] ?? upper;
  // A "$" in an Australian group means Australian dollars; elsewhere, US dollars.
  if (mapped === '$') return DOLLAR_CURRENCIES.has(defaultCurrency) ? defaultCurrency : 'USD';
  return mapped;
}

/**
 * Digits with separators → a number. A single "." or "," followed by exactly three digits is a
 * thousands separator (4,500 and 4.500 are both four and a half thousand); followed by one or two
 * digits it is a decimal point (4.5k, 1.200,50). Before a multiplier a single "." is always a
 * decimal point (3.333k). Returns undefined for groupings that are not a number (24.11.2026).
 */
function readNumber(raw: string, withMultiplier: boolean): { value: number; cutAtSpace: boolean } | undefined {
  let digits = raw;
  let cutAtSpace = false;
  if (digits.includes(' ')) {
    const parts = digits.split(' ');
    // Spaces group thousands ("€3 000"); anything else ends the number ("4500 2").
    let end = 1;
    while (end < parts.length && /^\d{3}(?:[.,]\d{1,2})?$/.test(parts[end])) end++;
    cutAtSpace = end < parts.length;
    digits = parts.slice(0, end).join('');
  }
  digits = digits.replace(/'/g, '');
  const separators = digits.match(/[.,]/g) ?? [];
  if (separators.length === 0) return { value: Number(digits), cutAtSpace };
  const lastSep = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  const tail = digits.slice(lastSep + 1);
  let integerPart = digits;
  let fraction = '';
  // "3.333k" is three thousand three hundred; "1,500k" stays one and a half million.
  const decimalBeforeMultiplier = withMultiplier && separators.length === 1 && separators[0] === '.';
  if (new Set(separators).size === 2 || (separators.length === 1 && (tail.length !== 3 || decimalBeforeMultiplier))) {
    integerPart = digits.slice(0, lastSep);
    fraction = tail;
  }
  if (new Set(integerPart.match(/[.,]/g) ?? []).size > 1) return undefined;
  const groups = integerPart.split(/[.,]/);
  if (groups.length > 1 && (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))) return undefined;
  if (fraction !== '' && !(withMultiplier ? /^\d{1,4}$/ : /^\d{1,2}$/).test(fraction)) return undefined;
  return { value: Number(`${groups.join('')}${fraction ? `.${fraction}` : ''}`), cutAtSpace };
}

const MULTIPLIERS: Record<string, number> = { k: 1_000, grand: 1_000, thousand: 1_000, m: 1_000_000, mn: 1_000_000 };

/** A number with no currency: is it money, or a date, time, duration, count, year or phone number? */
function looksLikeMoney(rawDigits: string, cutAtSpace: boolean, value: number, before: string, after: string): boolean {
  if (rawDigits.startsWith('0') && !/^0[.,]\d/.test(rawDigits)) return false; // phone numbers, codes
  if (cutAtSpace) return false; // "7700 900123": digits in groups that are not thousands
  if (NOT_MONEY_AFTER.test(after) || NOT_MONEY_BEFORE.test(before)) return false;
  if (Number.isInteger(value) && value >= 1900 && value <= 2100 && YEAR_BEFORE.test(before)) return false;
  return true;
}

function toCandidate(match: RegExpExecArray, text: string, defaultCurrency: string): Candidate | undefined {
  const groups = match.groups ?? {};
  const rawDigits = groups.digits ?? '';
  const mult = groups.mult?.toLowerCase();
  const read = readNumber(rawDigits, mult !== undefined);
  if (read === undefined || !Number.isFinite(read.value) || read.value <= 0) return undefined;
  const written = groups.before ?? groups.after;
  // "5m" alone is more often minutes or metres than millions.
  if ((mult === 'm' || mult === 'mn') && written === undefined) return undefined;
  const explicit = written !== undefined || mult === 'grand' || mult === 'thousand';
  if (!explicit && mult === undefined) {
    const digitsAt = match.index + match[0].indexOf(rawDigits);
    const before = text.slice(Math.max(0, digitsAt - 20), digitsAt);
    const after = text.slice(digitsAt + rawDigits.length, digitsAt + rawDigits.length + 20);
    if (!looksLikeMoney(rawDigits, read.cutAtSpace, read.value, before, after)) return undefined;
  }
  const amount = Math.round(read.value * (mult ? MULTIPLIERS[mult] : 1) * 100) / 100;
  if (!(amount > 0) || amount > 1e12) return undefined;
  return { money: { amount, currency: written ? resolveCurrency(written, defaultCurrency) : defaultCurrency }, explicit };
}

/**
 * All amounts in `text`, in order of appearance, each marked `explicit` when a currency (symbol,
 * ISO code or word such as "quid") or "grand" was written with it.
 */
export function findAmounts(text: string, defaultCurrency: string): { money: Money; explicit: boolean }[] {
  const currency = (defaultCurrency || '').toUpperCase();
  const bounded = typeof text === 'string' ? text.slice(0, 20_000).replace(/[\u00A0\u202F\u2009]/g, ' ') : '';
  const found: Candidate[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(bounded); m !== null; m = CANDIDATE.exec(bounded)) {
    if (m[0] === '') {
      CANDIDATE.lastIndex++;
      continue;
    }
    const candidate = toCandidate(m, bounded, currency);
    if (candidate) found.push(candidate);
  }
  return found;
}

/**
 * The amount a reply names, in major units, with its currency (`£`→GBP, `$`→USD, or the group's
 * dollar when the group uses one, `€`→EUR, ISO codes as written); `defaultCurrency` when none is
 * written. The first amount with a currency wins over bare numbers; bare numbers that read as
 * dates, times, durations, phone numbers or counts are ignored. Undefined when there is none.
 */
export function parseAmount(text: string, defaultCurrency: string): Money | undefined {
  const all = findAmounts(text, defaultCurrency);
  return (all.find((c) => c.explicit) ?? all[0])?.money;
}
