/**
 * Text as the regex-based readers (email-forward-parser, note cleaning) get it. email-forward-parser has no
 * ReDoS protection without the optional re2 module: its `^\s*…` and `.+\s*[<[]` patterns go quadratic or worse
 * on long whitespace runs and long lines. Collapsing whitespace, wrapping very long lines and capping the length
 * keeps every read to a fraction of a second whatever a sender crafts, and changes nothing a person would see.
 */

/** Lines longer than this are wrapped (at a space when there is one). Mail clients wrap far shorter. */
const MAX_LINE_CHARS = 1_000;

/** CRLF / CR → LF. */
export function unixLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * LF line ends, runs of blanks collapsed to one space, no trailing blanks, at most one empty line in a row,
 * lines wrapped at MAX_LINE_CHARS, and at most `maxChars` characters (the note and forward headers sit at the top).
 */
export function prepareForReading(text: string, maxChars: number): string {
  const lines = unixLineEnds(text.slice(0, maxChars)).split('\n');
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/[ \t\f\v\u00a0\u200b\ufeff]+/g, ' ').trimEnd();
    if (line === '' && out.length > 1 && out[out.length - 1] === '' && out[out.length - 2] === '') continue;
    out.push(...wrap(line));
  }
  return out.join('\n');
}

function wrap(line: string): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > MAX_LINE_CHARS) {
    const space = rest.lastIndexOf(' ', MAX_LINE_CHARS);
    const cut = space > MAX_LINE_CHARS / 2 ? space : MAX_LINE_CHARS;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  parts.push(rest);
  return parts;
}
