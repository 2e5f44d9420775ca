/**
 * Shaping a reply for command matching: a matchable copy of the text, the lines a person would
 * read as the message (greetings and pleasantries skipped), and clauses within a line.
 */

/**
 * Same length as the input, character for character, so offsets found in the matchable copy can
 * slice the original (which keeps its curly quotes and dashes for relaying).
 */
export function toMatchable(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201B\u02BC\u2032`´]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00A0\u202F\u2009\u2007\t]/g, ' ');
}

/** Done once, before anything else: line endings, invisible characters (U+200D stays for emoji sequences). */
export function cleanReply(text: string): string {
  return (typeof text === 'string' ? text : '')
    .slice(0, 100_000)
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200B\u200C\u2060\uFEFF\u00AD]/g, '');
}

const GREETING_WORD =
  "(?:hi|hello|hey|hiya|heya|dear|morning|afternoon|evening|good (?:morning|afternoon|evening|day)|greetings|hallo|hoi|bonjour|salut|hola|ciao|hej|moin|servus|guten (?:morgen|tag|abend)|buongiorno|bom dia|olá|ola)";

/** "Hi Alice,", "Hello,", "Dear Referral Relay team," — a line that is only a greeting. */
const GREETING_LINE = new RegExp(`^${GREETING_WORD}(?:\\s+[\\p{L}'.-]{1,30}){0,3}\\s*[,!.:;-]*\\s*$`, 'iu');

/** "Hi Alice, won it!" — the greeting in front of the words. */
const GREETING_PREFIX = new RegExp(`^${GREETING_WORD}(?:\\s+[\\p{L}'.-]{1,30}){0,3}?\\s*[,!:;-]+\\s*`, 'iu');

/** Whole lines that are politeness, not content ("Hope you're well", "Thanks for the reminder!"). */
const PLEASANTRY =
  /^(?:(?:i )?hope (?:you(?:'re| are)|all(?:'s| is)|this finds|your)\b.{0,60}|(?:many )?thanks? (?:you )?(?:so much |very much )?for (?:the|your) (?:reminder|nudge|email|message|note|follow[- ]?up|chasing|checking in|check[- ]in|update|patience|chaser)\b.{0,40}|thanks? (?:you )?for (?:checking|following up|chasing|asking)\b.{0,40}|(?:just )?(?:a )?quick update(?: on [\p{L}'.-]+(?: [\p{L}'.-]+)?)?\s*[:.!-]*|(?:update|re|fyi)\s*[:.!-]*|as requested\s*[:.,!]*|sorry for the (?:delay|slow reply|late reply)\b.{0,30})$/iu;

/** Words in front of the news that carry no command ("Good news –", "Unfortunately", "FYI"). */
const FILLER_PREFIX =
  /^(?:(?:good|great|bad|sad|some|exciting|quick) news|update|quick update|fyi|so|well|anyway|unfortunately|sadly|happily|finally|just (?:a quick update|to let you know|letting you know|fyi)|(?:i'm|i am|we're|we are) (?:happy|pleased|delighted|sorry|sad) to (?:say|report|tell you)(?: that)?|happy to (?:say|report)(?: that)?|pleased to (?:say|report)(?: that)?|no problem|no worries|of course)(?![\p{L}])[\s,:;.!-]*/iu;

/** One line of the reply, as offsets into the cleaned text. */
export interface ReplyLine {
  /** Offset of the first character that carries words (after any greeting; filler is skipped when matching). */
  start: number;
  end: number;
}

/** Skips "Good news –", "Unfortunately," … at `offset`; returns the new offset. */
export function skipFiller(matchable: string, offset: number, end: number): number {
  let at = offset;
  for (let guard = 0; guard < 4; guard++) {
    const rest = matchable.slice(at, end);
    const m = FILLER_PREFIX.exec(rest);
    if (!m || m[0].length === 0 || m[0].length === rest.length) break;
    at += m[0].length;
  }
  return at;
}

/** The greeting word alone ("Hi", "Good morning"), for reading a line such as "Hi Alice won it". */
const GREETING_ONLY = new RegExp(`^${GREETING_WORD}\\s+`, 'iu');

/**
 * The lines that carry the message, in order: blank lines, quoted ("> ") lines, greeting-only lines
 * and pleasantries are skipped; a greeting in front of the words ("Hi Alice, won it") is stepped over.
 * With `keepGreetingLines`, a line that looked like a greeting is kept minus its greeting word: the
 * second reading for a reply such as "Hi Alice won it", where no punctuation ends the greeting.
 */
export function meaningfulLines(matchable: string, keepGreetingLines = false): ReplyLine[] {
  const lines: ReplyLine[] = [];
  let offset = 0;
  for (const raw of matchable.split('\n')) {
    const lineStart = offset;
    const end = offset + raw.length;
    offset = end + 1;
    const trimmedStart = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text === '' || text.startsWith('>') || PLEASANTRY.test(text)) continue;
    let start = lineStart + trimmedStart;
    if (GREETING_LINE.test(text)) {
      const greeting = keepGreetingLines ? GREETING_ONLY.exec(text) : null;
      if (!greeting) continue;
      lines.push({ start: start + greeting[0].length, end: lineStart + raw.trimEnd().length });
      continue;
    }
    const greeting = GREETING_PREFIX.exec(text);
    if (greeting && greeting[0].length < text.length) start += greeting[0].length;
    lines.push({ start, end: lineStart + raw.trimEnd().length });
  }
  return lines;
}

/** The paragraph (lines up to the next blank line) that starts at `from`. */
export function paragraphEnd(text: string, from: number): number {
  const blank = /\n[ \t]*\n/g;
  blank.lastIndex = from;
  const m = blank.exec(text);
  return m ? m.index : text.length;
}

/** A clause of a line, as offsets. */
export interface Clause {
  start: number;
  end: number;
}

/** Where one clause ends and the next starts: punctuation, a spaced dash or colon, "and", "but", "or", "then"… */
const CLAUSE_BREAK = /[,;!?]+|\.(?=\s|$)|\s-+\s|\s:\s|\s+(?:and|but|or|then|so|&|\+|although|though|however|plus)(?=\s)/giu;

/** Splits `matchable[start, end)` into clauses. */
export function clausesOf(matchable: string, start: number, end: number): Clause[] {
  const line = matchable.slice(start, end);
  const clauses: Clause[] = [];
  let from = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(line); m !== null; m = CLAUSE_BREAK.exec(line)) {
    if (m.index > from) clauses.push({ start: start + from, end: start + m.index });
    from = m.index + m[0].length;
    if (m[0].length === 0) CLAUSE_BREAK.lastIndex++;
  }
  if (from < line.length) clauses.push({ start: start + from, end });
  return clauses.filter((c) => matchable.slice(c.start, c.end).trim() !== '');
}
