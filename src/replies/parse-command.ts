/**
 * What a reply asks for (PRODUCT.md "Email as the interface"). Pure: the caller has already taken
 * the new text out of the email with `extractReplyText` and knows who replied to which email.
 *
 * How a reply is read:
 * 1. Greetings ("Hi Alice,"), pleasantries ("Hope you're well", "Thanks for the reminder!") and
 *    filler ("Good news –", "Unfortunately") are stepped over; the first meaningful line is read,
 *    and the second when the first says nothing recognisable.
 * 2. A command word at the very start wins ("Contacted – meeting him Thursday" is `contacted`);
 *    otherwise the first clause that names a command does. Negated, conditional and future uses
 *    do not count ("haven't called yet", "will send the quote Friday", "contract to be signed").
 * 3. Politeness yields to a real command: "thanks, contacted her" is `contacted`, "Ok – cancel it"
 *    is `cancel`; "Thanks so much Alice, really appreciate it" stays `thanks` (relayed as written).
 * 4. Only the role's own commands are recognised: a referrer writing "won" gets `unknown`.
 *
 * When to ask back (`ambiguous`) rather than guess, because `won`, `lost` and `pass` are final and
 * a reply cannot undo them:
 * - another clause of the same line starts with a different milestone and one of the two is final:
 *   "met and lost it", "sent the proposal but lost it", "won or lost, not sure", "won it, lost the other";
 * - a final milestone is hedged: "won?", "maybe lost", "might have won", "not sure if we won";
 * - a prospect answers both ways: "yes and no", "yes… no".
 * Two non-final milestones ("contacted, met him Tuesday") are not asked back: the leading one wins.
 */
import { findAmounts } from './parse-amount.js';
import { isHedged, isNotDone, phrasesFor, type Phrase } from './phrases.js';
import { cleanReply, clausesOf, meaningfulLines, paragraphEnd, skipFiller, toMatchable, type Clause, type ReplyLine } from './reply-lines.js';
import { FINAL_VERBS, MILESTONE_VERBS, type Command, type CommandContext, type ReferBack, type Verb } from './types.js';

export { validCommands } from './valid-commands.js';
export type { Command, CommandContext, CommandHelp, Role, Verb } from './types.js';

/** A command line is short; matching further into a very long line only costs CPU. */
const MAX_LINE_FOR_MATCHING = 2_000;
/** How many meaningful lines may hold the command (the first, or the second after a "Quick update on Bob:"). */
const LINES_TO_READ = 2;

interface Doc {
  /** The reply, cleaned; sliced for every text returned. */
  original: string;
  /** Same length as `original`, quotes and dashes made plain, for matching. */
  s: string;
  lines: ReplyLine[];
  phrases: Phrase[];
}

interface Hit {
  phrase: Phrase;
  verb: Verb;
  start: number;
  end: number;
  line: number;
}

function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

function lineBounds(doc: Doc, li: number): { start: number; end: number } {
  const line = doc.lines[li];
  const start = skipFiller(doc.s, line.start, line.end);
  return { start, end: Math.min(line.end, start + MAX_LINE_FOR_MATCHING) };
}

function byPosition(a: Hit, b: Hit): number {
  return a.start - b.start || b.end - b.start - (a.end - a.start);
}

/** The longest phrase that starts the line. */
function leadingHit(doc: Doc, li: number, accept: (h: Hit) => boolean): Hit | undefined {
  const { start, end } = lineBounds(doc, li);
  const text = doc.s.slice(start, end);
  let best: Hit | undefined;
  for (const phrase of doc.phrases) {
    phrase.sticky.lastIndex = 0;
    const m = phrase.sticky.exec(text);
    if (!m || m[0].length === 0) continue;
    const hit: Hit = { phrase, verb: phrase.verb, start, end: start + m[0].length, line: li };
    if (accept(hit) && (!best || hit.end > best.end)) best = hit;
  }
  return best;
}

/** Every phrase found in one clause, earliest (then longest) first, minus negated and future uses. */
function hitsInClause(doc: Doc, li: number, clause: Clause, lineStart: number): Hit[] {
  const text = doc.s.slice(clause.start, clause.end);
  const hits: Hit[] = [];
  for (const phrase of doc.phrases) {
    if (phrase.where === 'leading') continue;
    for (const m of text.matchAll(phrase.any)) {
      if (m[0].length === 0 || m.index === undefined) continue;
      const start = clause.start + m.index;
      if (phrase.where === 'early' && wordCount(doc.s.slice(lineStart, start)) > 3) continue;
      // "no" phrases are negative by nature; for the rest a negation in front means "not done".
      if (phrase.verb !== 'no' && isNotDone(text.slice(0, m.index))) continue;
      hits.push({ phrase, verb: phrase.verb, start, end: start + m[0].length, line: li });
    }
  }
  return hits.sort(byPosition);
}

function clausesOfLine(doc: Doc, li: number): Clause[] {
  const { start, end } = lineBounds(doc, li);
  return clausesOf(doc.s, start, end);
}

/** The command a line names: its leading words, else the first clause that names one. */
function firstHit(doc: Doc, li: number, accept: (h: Hit) => boolean = () => true, fromClause = 0): Hit | undefined {
  if (fromClause === 0) {
    const leading = leadingHit(doc, li, accept);
    if (leading) return leading;
  }
  const { start } = lineBounds(doc, li);
  const clauses = clausesOfLine(doc, li);
  for (let ci = fromClause; ci < clauses.length; ci++) {
    const found = hitsInClause(doc, li, clauses[ci], start).filter(accept);
    if (found.length > 0) return found[0];
  }
  return undefined;
}

function readFirstLines(doc: Doc): Hit | undefined {
  for (let li = 0; li < Math.min(LINES_TO_READ, doc.lines.length); li++) {
    const hit = firstHit(doc, li);
    if (hit) return hit;
  }
  return undefined;
}

/** A clause that is nothing but a command word ("yes and *no*", "met, *won*"). */
function bareCommand(doc: Doc, clauseText: string): { verb: Verb } | undefined {
  const text = clauseText.trim();
  for (const phrase of doc.phrases) {
    phrase.sticky.lastIndex = 0;
    const m = phrase.sticky.exec(text);
    if (m && m[0].length === text.length) return { verb: phrase.verb };
  }
  return undefined;
}

/** Commands that start the clauses after the primary one ("met and *lost* it", "won? … maybe *lost*"). */
function laterClauseVerbs(doc: Doc, primary: Hit): { verb: Verb; clauseText: string }[] {
  const { start } = lineBounds(doc, primary.line);
  const clauses = clausesOfLine(doc, primary.line);
  const primaryClause = clauses.findIndex((c) => primary.start >= c.start && primary.start < c.end);
  const found: { verb: Verb; clauseText: string }[] = [];
  for (let ci = Math.max(primaryClause, 0) + 1; ci < clauses.length; ci++) {
    const clause = clauses[ci];
    // Only a clause that *starts* with a command: "they said the other firm won on price" is a reason, not a claim.
    const clauseText = doc.s.slice(clause.start, clause.end);
    const hit =
      hitsInClause(doc, primary.line, clause, start).find((h) => wordCount(doc.s.slice(clause.start, h.start)) <= 2) ??
      bareCommand(doc, clauseText);
    if (hit) found.push({ verb: hit.verb, clauseText });
  }
  return found;
}

/** The options to ask back with, or undefined when the reply is clear. */
function askBack(doc: Doc, primary: Hit, ctx: CommandContext): Verb[] | undefined {
  const later = laterClauseVerbs(doc, primary);
  if (MILESTONE_VERBS.includes(primary.verb)) {
    const conflicts = [...new Set(later.map((l) => l.verb).filter((v) => MILESTONE_VERBS.includes(v) && v !== primary.verb))];
    const involvesFinal = FINAL_VERBS.includes(primary.verb) || conflicts.some((v) => FINAL_VERBS.includes(v));
    if (conflicts.length > 0 && involvesFinal) return [primary.verb, ...conflicts];
    if (FINAL_VERBS.includes(primary.verb)) {
      const { end } = lineBounds(doc, primary.line);
      const clauseStart = clausesOfLine(doc, primary.line).find((c) => primary.start >= c.start && primary.start < c.end)?.start ?? primary.start;
      if (isHedged(doc.s.slice(clauseStart, primary.start), doc.s.slice(primary.end, end))) return [primary.verb, ...conflicts];
    }
  }
  if (ctx.role === 'prospect' && (primary.verb === 'yes' || primary.verb === 'no')) {
    const opposite = primary.verb === 'yes' ? 'no' : 'yes';
    const bare = later.some((l) => l.verb === opposite && /^\s*(?:yes|yep|yeah|no|nope|nah|not yet)\s*$/i.test(l.clauseText));
    if (bare) return ['yes', 'no'];
  }
  return undefined;
}

// ── the words that go with a command ────────────────────────────────────

const LEADING_PUNCTUATION = /^[\s,:;.!?)\]-]+/u;
/** Words between a command and its reason that are not the reason ("lost *it unfortunately* – …"). */
const REASON_FILLER =
  /^(?:it|the job|the work|the contract|the business|this one|that one|him|her|them|please|unfortunately|sadly|i'm afraid|im afraid|i am afraid|though|anyway|for now|again|today|yesterday|this morning|this afternoon|this week|on this one|on this)(?![\p{L}])[\s,:;.!?)-]*/iu;

/** The offset after `pattern` when it matches at `from` (within `to`), else `from`. */
function skipPattern(doc: Doc, from: number, to: number, pattern: RegExp): number {
  const m = pattern.exec(doc.s.slice(from, to));
  return m ? from + m[0].length : from;
}

function slice(doc: Doc, from: number, to: number): string | undefined {
  const text = doc.original.slice(from, to).trim();
  return text === '' ? undefined : text;
}

/** The rest of the paragraph after `from`, leading punctuation (and, for reasons, filler words) skipped. */
function remainder(doc: Doc, from: number, reason: boolean): string | undefined {
  const to = paragraphEnd(doc.s, from);
  let at = skipPattern(doc, from, to, LEADING_PUNCTUATION);
  if (reason) {
    for (let i = 0; i < 4; i++) {
      const next = skipPattern(doc, skipPattern(doc, at, to, REASON_FILLER), to, LEADING_PUNCTUATION);
      if (next === at) break;
      at = next;
    }
  }
  return slice(doc, at, to);
}

/** Everything after `from` to the end of the reply (notes and questions may run over paragraphs). */
function restOfReply(doc: Doc, from: number): string | undefined {
  return slice(doc, skipPattern(doc, from, doc.s.length, LEADING_PUNCTUATION), doc.s.length);
}

function nextParagraph(doc: Doc, from: number): string | undefined {
  const end = paragraphEnd(doc.s, from);
  if (end >= doc.s.length) return undefined;
  const start = end + (/^\n[ \t]*\n\s*/.exec(doc.s.slice(end))?.[0].length ?? 0);
  return slice(doc, start, paragraphEnd(doc.s, start));
}

function reasonText(doc: Doc, hit: Hit): string | undefined {
  if (hit.phrase.describes) {
    // The phrase is the reason ("they went with a cheaper quote"): keep the line from its first words.
    const { start } = lineBounds(doc, hit.line);
    return slice(doc, start, paragraphEnd(doc.s, start));
  }
  return remainder(doc, hit.end, true) ?? nextParagraph(doc, hit.end);
}

/** `thanks: words` relays the words; otherwise the whole message is the thank-you, as written. */
function thanksText(doc: Doc, hit: Hit): string | undefined {
  const colon = /^\s*:/.exec(doc.s.slice(hit.end, hit.end + 10));
  if (colon) return restOfReply(doc, hit.end + colon[0].length);
  return slice(doc, doc.lines[hit.line].start, doc.s.length);
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, 'a couple of': 2, 'a few': 3,
};
const DEFAULT_SNOOZE_DAYS = 7;

/** "snooze 2 weeks", "snooze 10", "check back in a month" → days (1–365); 7 when no number is given. */
function snoozeDays(doc: Doc, hit: Hit): number {
  const { end } = lineBounds(doc, hit.line);
  const m = /(\d{1,3}|a couple of|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(d|days?|w|wks?|weeks?|months?|mths?)?(?![\p{L}])/iu.exec(
    doc.s.slice(hit.start, end),
  );
  if (!m) return DEFAULT_SNOOZE_DAYS;
  const isDigits = /^\d+$/.test(m[1]);
  if (!isDigits && !m[2]) return DEFAULT_SNOOZE_DAYS; // "snooze a bit"
  const n = isDigits ? Number(m[1]) : NUMBER_WORDS[m[1].toLowerCase()];
  const unit = (m[2] ?? 'd').toLowerCase();
  const perUnit = unit.startsWith('w') ? 7 : unit.startsWith('m') ? 30 : 1;
  return Math.min(365, Math.max(1, n * perUnit));
}

const STAR_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

function ratingOf(doc: Doc, hit: Hit): number | undefined {
  const said = doc.s.slice(hit.start, hit.end);
  const digit = /[1-5]/.exec(said);
  if (digit) return Number(digit[0]);
  const word = /one|two|three|four|five/i.exec(said);
  if (word) return STAR_WORDS[word[0].toLowerCase()];
  const stars = said.match(/[⭐★]/gu)?.length ?? 0;
  return stars >= 1 && stars <= 5 ? stars : undefined;
}

const EMAIL = /[^\s<>()[\]{},;:"'`]{1,64}@[^\s<>()[\]{},;:"'`]{1,255}\.[^\s<>()[\]{},;:"'`.]{2,63}/u;

/** `refer Tom Baker <tom@baker.example> needs a new website` → name, email, need. */
function parseReferBack(text: string): ReferBack | undefined {
  // Outlook writes addresses as "tom@x.example<mailto:tom@x.example>"; HTML conversion as "[mailto:…]".
  const plain = text.replace(/[<[]mailto:[^>\]\s]{1,300}[>\]]/gi, '');
  const m = EMAIL.exec(plain);
  if (!m) return undefined;
  const name = plain
    .slice(0, m.index)
    .replace(/[\s<([{"'`:,-]+$/u, '')
    .replace(/^[\s:,-]+/u, '')
    .trim();
  const need = plain
    .slice(m.index + m[0].length)
    .replace(/^[\s>)\]}"'`:,;|–—-]+/u, '')
    .replace(/^(?:(?:who|that|he|she|they)\s+)?(?:needs?|wants?|is looking for|are looking for|looking for|for|re)(?![\p{L}])[\s:,-]*/iu, '')
    .trim();
  if (name === '') return undefined;
  return { name, email: m[0].replace(/\.$/, '').toLowerCase(), need };
}

function withText<T extends object>(command: T, text: string | undefined): T & { text?: string } {
  return text === undefined ? command : { ...command, text };
}

function build(doc: Doc, hit: Hit, ctx: CommandContext): Command {
  const verb = hit.verb;
  switch (verb) {
    case 'thanks':
      return withText({ verb }, thanksText(doc, hit));
    case 'note':
    case 'ask':
      return withText({ verb }, restOfReply(doc, hit.end));
    case 'refer': {
      const rest = remainder(doc, hit.end, false);
      const refer = rest ? parseReferBack(rest) : undefined;
      return refer ? { verb, refer, text: rest } : withText({ verb }, rest);
    }
    case 'provider':
    case 'prospect':
    case 'intro':
      return withText({ verb }, remainder(doc, hit.end, false));
    case 'rating': {
      const rating = ratingOf(doc, hit);
      if (rating === undefined) return { verb: 'unknown', text: doc.original.trim() };
      return withText({ verb, rating }, restOfReply(doc, hit.end));
    }
    case 'yes':
    case 'no':
      return withText({ verb }, slice(doc, doc.lines[0].start, doc.s.length));
    case 'snooze':
      return withText({ verb, days: snoozeDays(doc, hit) }, remainder(doc, hit.end, false));
    case 'won': {
      const { start } = lineBounds(doc, hit.line);
      const paragraph = doc.original.slice(start, paragraphEnd(doc.s, start));
      const inParagraph = findAmounts(paragraph, ctx.currency);
      const amount =
        (inParagraph.find((a) => a.explicit) ?? inParagraph[0] ?? findAmounts(doc.original.slice(start), ctx.currency).find((a) => a.explicit))
          ?.money;
      const command = withText({ verb }, remainder(doc, hit.end, false));
      return amount ? { ...command, amount } : command;
    }
    case 'lost':
    case 'pass':
    case 'poor':
    case 'cancel':
    case 'no_intro':
      return withText({ verb }, reasonText(doc, hit));
    case 'stop':
    case 'help':
      // Nothing to carry: "stop emailing me" has no words the caller needs.
      return { verb };
    default:
      return withText({ verb }, remainder(doc, hit.end, false));
  }
}

/**
 * Reads a reply's new text as a command for `ctx.role` (see the module comment for the rules and
 * for the phrasings that are asked back). `text` carries the words that go with the command: the
 * reason for `lost`/`pass`/`poor`/`cancel`, the words to relay for `thanks`/`ask`, the note, the
 * comment of a `rating`, the rest of the sentence otherwise (private unless the caller decides).
 * Never throws; an empty or unrecognised reply is `unknown` with the text to keep on the timeline.
 */
export function parseCommand(replyText: string, ctx: CommandContext): Command {
  const original = cleanReply(replyText);
  const whole = original.trim();
  if (whole === '') return { verb: 'unknown', text: '' };
  const s = toMatchable(original);
  const doc: Doc = { original, s, lines: meaningfulLines(s), phrases: phrasesFor(ctx.role, ctx.emailKind) };

  let primary = readFirstLines(doc);
  if (!primary) {
    // "Hi Alice won it" looks like a greeting line; read such lines too before giving up.
    doc.lines = meaningfulLines(s, true);
    primary = readFirstLines(doc);
  }
  if (!primary) return { verb: 'unknown', text: whole };

  const yieldsToRating = ctx.role === 'prospect' && (primary.verb === 'yes' || primary.verb === 'no');
  if (primary.phrase.courtesy || yieldsToRating) {
    const from = primary;
    const accept = yieldsToRating ? (h: Hit) => h.verb === 'rating' : (h: Hit) => !h.phrase.courtesy && h.verb !== from.verb;
    const clauses = clausesOfLine(doc, from.line);
    const fromClause = clauses.findIndex((c) => from.start >= c.start && from.start < c.end) + 1;
    const later =
      firstHit(doc, from.line, accept, Math.max(fromClause, 1)) ??
      (from.line + 1 < doc.lines.length ? firstHit(doc, from.line + 1, accept) : undefined);
    if (later) primary = later;
  }

  const options = askBack(doc, primary, ctx);
  if (options) return { verb: 'ambiguous', options, text: whole };
  return build(doc, primary, ctx);
}
