import { firstPhone } from './phone.js';

/**
 * The instructions a referrer can write into the note of a logging email (PRODUCT.md "Logging by email"):
 * `for: <member>` (or `provider:`), `prospect: <who>`, `intro: <one line for the prospect>`, and "no intro".
 * They are read, then removed from the
 * text that becomes the referral's need.
 */
export interface NoteDirectives {
  /** Text of an explicit `for:` / `provider:` line. */
  forLine?: string;
  /** A note that opens with "For Priya - …" or "For Sam, please.": who the words after "For" name. */
  leadFor?: { target: string; noteWithout: string };
  /** Text of a `prospect:` line. */
  prospectLine?: string;
  /** Text of an `intro:` line: the referrer's one line for the prospect, shown in the introduction. */
  introLine?: string;
  /** The referrer asked for no introduction: consent is not stated. */
  noIntro: boolean;
  /** The note without directive lines and without the "no intro" words. */
  remainder: string;
}

const FOR_LINE = /^\s*(?:for|provider)\s*:\s*(.+?)\s*$/i;
const PROSPECT_LINE = /^\s*prospect\s*:\s*(.+?)\s*$/i;
const INTRO_LINE = /^\s*intro(?:duction)?\s*:\s*(.+?)\s*$/i;
// "For Priya - …", and the same opening in the languages the forward parser reads.
const LEAD_FOR = /^\s*(?:for|pour|für|para|voor)\s+(?:the attention of\s+)?([^,.;:!?\n–—]+?)\s*(?:\s-\s|[,.;:!?–—]|(?=\n)|$)/i;
const NO_INTRO =
  /\b(?:no[\s-]*intro(?:duction)?s?|(?:do\s+not|don['’]?t|dont)\s+(?:(?:send|make|do)\s+(?:an?\s+|the\s+)?intro(?:duction)?s?|introduce(?:\s+(?:them|us|him|her))?))\b/i;
// What is left of a line once the directive is gone and nothing worth keeping remains.
const FILLER = /^[\s,.;:!?\-–—()]*(?:please|pls|thanks|thank you|yet|for now|bitte|svp|s'il te plaît|por favor|graag|alsjeblieft)?[\s,.;:!?\-–—()]*$/i;

// Filler is short; the length check keeps the regex's two greedy classes away from hostile long lines.
function isFiller(text: string): boolean {
  return text.length <= 40 && FILLER.test(text);
}

/** Reads the directives of a note; lines are matched case-insensitively and tolerantly. */
export function readNoteDirectives(note: string): NoteDirectives {
  let forLine: string | undefined;
  let prospectLine: string | undefined;
  let introLine: string | undefined;
  let noIntro = false;
  const kept: string[] = [];

  for (const line of note.split('\n')) {
    const explicitFor = FOR_LINE.exec(line);
    if (explicitFor && !forLine) {
      forLine = explicitFor[1];
      continue;
    }
    const prospect = PROSPECT_LINE.exec(line);
    if (prospect && !prospectLine) {
      prospectLine = prospect[1];
      continue;
    }
    const intro = INTRO_LINE.exec(line);
    if (intro && !introLine) {
      introLine = intro[1]!.slice(0, 300);
      continue;
    }
    if (NO_INTRO.test(line)) {
      noIntro = true;
      const rest = withoutNoIntro(line);
      if (!isFiller(rest)) kept.push(rest);
      continue;
    }
    kept.push(line);
  }

  const remainder = kept.join('\n').trim();
  return { forLine, leadFor: readLeadFor(remainder), prospectLine, ...(introLine ? { introLine } : {}), noIntro, remainder };
}

const NO_INTRO_WITH_PLEASE = new RegExp(String.raw`(?:\b(?:please|pls)\s+)?(?:${NO_INTRO.source})(?:[\s,]+(?:please|pls|needed|necessary|required|yet|for now)\b)*`, 'gi');

/** "No intro please - I'll call Bob first" → "I'll call Bob first"; "…yet, so please don't introduce them." → "…yet." */
function withoutNoIntro(line: string): string {
  return line
    .replace(NO_INTRO_WITH_PLEASE, '')
    .replace(/^[\s,.;:!?\-–—]+/, '')
    .replace(/[\s,]*\b(?:so|and|but)?\s*([.!?])\s*$/i, '$1')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/([.!?]),/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function readLeadFor(note: string): NoteDirectives['leadFor'] {
  const match = LEAD_FOR.exec(note);
  if (!match) return undefined;
  const [firstLine, ...rest] = note.slice(match[0].length).split('\n');
  const tail = isFiller(firstLine) ? rest : [firstLine, ...rest];
  return { target: match[1], noteWithout: tail.join('\n').trim() };
}

/** Who a `prospect:` line names: "Jo Bloggs <jo@x.example>", "Jo Bloggs (Bloggs Ltd), 07700 900123", or an address. */
export interface ProspectLine {
  name?: string;
  email?: string;
  phone?: string;
  phoneE164?: string;
  company?: string;
}

const ADDRESS = /[^\s<>()[\]{},;:"']+@[^\s<>()[\]{},;:"']+\.[a-z]{2,}/iu;

/** Splits a `prospect:` line into name, address, phone and company (in parentheses). */
export function readProspectLine(line: string): ProspectLine {
  const email = ADDRESS.exec(line)?.[0].toLowerCase();
  const phone = firstPhone([line.replace(ADDRESS, ' ')]);
  const company = /\(([^)]+)\)/.exec(line)?.[1].trim();

  let rest = line.replace(ADDRESS, ' ').replace(/\([^)]*\)/g, ' ').replace(/[<>"]/g, ' ');
  if (phone) rest = rest.replace(phone.written, ' ');
  const name = rest
    .split(/[,;|]|\s[-–—]\s/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .find((part) => /\p{L}/u.test(part));
  return { name, email, phone: phone?.written, phoneE164: phone?.e164, company };
}
