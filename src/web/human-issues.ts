/**
 * One place that turns a zod issue into a sentence a person can act on, for the JSON API (the 422's
 * `message` and `details[].message`) and the forms alike. zod's own wording ("Invalid input: expected
 * string, received undefined") never reaches a reader: a field we know gets its own sentence, a
 * message written in a schema is kept, and anything else gets a plain sentence built from the issue.
 */
import type { $ZodIssue } from 'zod/v4/core';

/** How a field is named in a sentence (by its dotted path, or its last segment). */
const LABELS: Record<string, string> = {
  provider: 'the member you are referring them to',
  referrer: 'the referrer',
  'prospect.name': 'the prospect’s name',
  'prospect.email': 'the prospect’s email address',
  'prospect.phone': 'the prospect’s phone number',
  'prospect.company': 'the prospect’s company',
  prospect: 'the prospect',
  need: 'what the prospect needs',
  temperature: 'the temperature',
  consent: 'consent',
  note: 'the note',
  action: 'the action',
  amount: 'the amount',
  currency: 'the currency',
  days: 'the number of days',
  email: 'the email address',
  name: 'the name',
};

/** Sentences for the fields people get wrong most: `missing` (absent or empty) and `invalid` (anything else). */
const SENTENCES: Record<string, { missing?: string; invalid?: string }> = {
  provider: { missing: 'Say who you are referring them to (a member’s id or email address)' },
  'prospect.name': { missing: 'Give the prospect’s name' },
  'prospect.email': { missing: 'Give the prospect’s email address', invalid: 'That email address doesn’t look right' },
  'prospect.phone': { invalid: 'That phone number doesn’t look right (digits, spaces and + ( ) - only)' },
  prospect: { missing: 'Give the prospect: at least their name', invalid: 'The prospect should be an object with a name (and an email, phone or company if you have them)' },
  need: { missing: 'Say in a few words what the prospect needs', invalid: 'Say in a few words what the prospect needs' },
  temperature: { invalid: 'The temperature is a whole number from 1 to 5' },
  consent: { missing: 'Say whether the prospect agreed to be introduced (true or false)', invalid: 'Consent is true or false' },
  action: { missing: 'Say which action to take', invalid: 'That is not an action you can take here' },
  amount: { invalid: 'The amount is a number such as 4500' },
  currency: { invalid: 'The currency is a three-letter code such as GBP' },
  days: { invalid: 'Snooze for a whole number of days from 1 to 90' },
  email: { missing: 'Give an email address', invalid: 'That email address doesn’t look right' },
  name: { missing: 'Give a name' },
};

/** zod's built-in English messages; a message that does not start like this was written in a schema. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized key|Expected )/;

const WHAT: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list', date: 'a date' };

const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

function words(segment: string): string {
  return segment.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

/** The dotted path of an issue, without array indexes ("extraAddresses.1" → "extraAddresses"). */
const keyOf = (path: readonly PropertyKey[]) => path.filter((p) => typeof p !== 'number').map(String).join('.');

export function labelOf(path: readonly PropertyKey[]): string {
  const key = keyOf(path);
  if (LABELS[key]) return LABELS[key];
  const last = path.filter((p) => typeof p !== 'number').at(-1);
  if (last === undefined) return 'the request';
  return LABELS[String(last)] ?? `the ${words(String(last))}`;
}

function isMissing(issue: $ZodIssue): boolean {
  // Issues do not carry the input unless asked to; zod's wording says what it received.
  if (issue.code === 'invalid_type') return /received (undefined|null)$/.test(issue.message);
  if (issue.code === 'too_small') return (issue as { origin?: string }).origin === 'string' && Number((issue as { minimum?: unknown }).minimum) <= 1;
  return false;
}

function generic(issue: $ZodIssue): string {
  const label = labelOf(issue.path);
  const i = issue as $ZodIssue & { origin?: string; minimum?: unknown; maximum?: unknown; expected?: string; format?: string; keys?: string[]; values?: unknown[] };
  switch (issue.code) {
    case 'invalid_type':
      if (isMissing(issue)) return `Give ${label}`;
      return `${capitalise(label)} should be ${WHAT[i.expected ?? ''] ?? i.expected ?? 'something else'}`;
    case 'too_small':
      if (i.origin === 'string') return isMissing(issue) ? `${capitalise(label)} cannot be empty` : `${capitalise(label)} needs at least ${String(i.minimum)} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `Give at least ${String(i.minimum)} for ${label}`;
      return `${capitalise(label)} is at least ${String(i.minimum)}`;
    case 'too_big':
      if (i.origin === 'string') return `Keep ${label} under ${String(i.maximum)} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `Give at most ${String(i.maximum)} for ${label}`;
      return `${capitalise(label)} is at most ${String(i.maximum)}`;
    case 'invalid_format':
      return i.format === 'email' ? 'That email address doesn’t look right' : i.format === 'url' ? `${capitalise(label)} should be an absolute URL` : `${capitalise(label)} is not in the right form`;
    case 'invalid_value':
      return i.values?.length ? `${capitalise(label)} is one of: ${i.values.map(String).join(', ')}` : `${capitalise(label)} is not a value we accept`;
    case 'unrecognized_keys':
      return `We don’t know the field${(i.keys?.length ?? 0) > 1 ? 's' : ''} ${(i.keys ?? []).map((k) => `“${k}”`).join(', ')}: leave ${(i.keys?.length ?? 0) > 1 ? 'them' : 'it'} out`;
    case 'not_multiple_of':
      return `${capitalise(label)} should be a whole number`;
    default:
      return `${capitalise(label)} doesn’t look right`;
  }
}

/** The sentence for one issue. */
export function humanMessage(issue: $ZodIssue): string {
  const key = keyOf(issue.path);
  const known = SENTENCES[key];
  if (known && !(issue.code === 'too_big' && (issue as { origin?: string }).origin === 'string')) {
    const sentence = isMissing(issue) ? (known.missing ?? known.invalid) : (known.invalid ?? known.missing);
    if (sentence && (isMissing(issue) || known.invalid)) return sentence;
  }
  if (!ZOD_WORDING.test(issue.message)) return capitalise(issue.message);
  return generic(issue);
}

export type Issue = { path: string; message: string };

/** Every issue as `{path, message}` with a human message (the API's `details`). */
export const humanIssues = (issues: readonly $ZodIssue[]): Issue[] => issues.map((i) => ({ path: i.path.map(String).join('.'), message: humanMessage(i) }));

/** The API's one-line `message`: each problem after its field path. */
export const issuesSentence = (issues: readonly Issue[]) => issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
