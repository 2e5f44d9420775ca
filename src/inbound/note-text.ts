/**
 * Cleans the sender's own words the way a person skims them: quoted history, mobile footers and an obvious
 * sign-off are not part of what the member wanted to say.
 */

// "On Mon, 16 Nov 2026, Bob <bob@x> wrote:" and its common translations; clients may wrap it over two lines.
const QUOTE_HEADER_START = /^\s*(on|am|le|el|op|il|em|den|på|w dniu)\b.{0,200}$/i;
// German and Dutch put the name after the verb: "Am … schrieb Klaus <k@x>:".
const QUOTE_HEADER_END =
  /(?:^|\s)(?:wrote|schrieb|a écrit|escribió|schreef|ha scritto|escreveu|skrev|napisał|написал\(а\))[^\n]{0,200}:\s*$/i;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|oorspronkelijk bericht)\s*-{2,}\s*$/i;

const MOBILE_FOOTER =
  /^\s*(sent from my [\w\s-]{2,30}|sent from (outlook|yahoo mail|mail for windows|proton ?mail)[\w\s]{0,30}|get outlook for (ios|android)|sent with proton ?mail[\w\s]{0,20}|von meinem [\w\s-]{2,30} gesendet|envoyé de mon [\w\s-]{2,30}|enviado desde mi [\w\s-]{2,30}|verzonden (vanaf|met) mijn [\w\s-]{2,30}|inviato da [\w\s-]{2,30})\.?\s*(<[^>\s]*>)?\s*$/i;

const SIGN_OFF =
  /^\s*(thanks|thank you|many thanks|thanks again|cheers|best|best wishes|best regards|kind regards|warm regards|warmly|regards|all the best|speak soon|talk soon|mit freundlichen grüßen|viele grüße|liebe grüße|beste grüße|grüße|cordialement|bien à vous|bien cordialement|saludos|un saludo|atentamente|met vriendelijke groet(en)?|groeten|groetjes)\s*[,.!]*\s*$/i;

/** Only this many trailing non-empty lines are searched for a sign-off, so a "Thanks" mid-note survives. */
const SIGN_OFF_WINDOW = 6;

/** Removes "On … wrote:" history, "-----Original Message-----" blocks and `>`-quoted lines. */
export function stripQuotedHistory(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (ORIGINAL_MESSAGE.test(lines[i])) return keep(lines.slice(0, i));
    if (QUOTE_HEADER_START.test(lines[i])) {
      const joined = [lines[i], lines[i + 1] ?? ''].join(' ');
      if (QUOTE_HEADER_END.test(lines[i]) || QUOTE_HEADER_END.test(joined)) return keep(lines.slice(0, i));
    }
  }
  return keep(lines);
}

function keep(lines: string[]): string {
  return lines
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .trim();
}

/**
 * Removes an obvious signature: everything from a `-- ` delimiter, mobile footers, and a trailing sign-off
 * ("Thanks,", "Kind regards") or a line that is just the sender's name or first name.
 */
export function stripSignature(text: string, senderName?: string): string {
  const lines = text.split('\n').filter((line) => !MOBILE_FOOTER.test(line));
  const delimiter = lines.findIndex((line) => /^--\s?$/.test(line));
  const body = delimiter === -1 ? lines : lines.slice(0, delimiter);
  // A separator line left over from the forward block (Outlook's underscores, an HTML <hr>) ends the note.
  while (body.length > 0 && /^([-_=*~]{3,})?$/.test(body[body.length - 1].trim())) body.pop();

  const names = nameLines(senderName);
  const nonEmpty = body.map((line, index) => ({ line: line.trim(), index })).filter(({ line }) => line !== '');
  const window = nonEmpty.slice(1).slice(-SIGN_OFF_WINDOW);
  // A sign-off is a short line; the length check also keeps the regexes away from hostile long lines.
  const signOff = window.find(({ line }) => line.length <= 60 && (SIGN_OFF.test(line) || names.has(normalise(line))));
  return (signOff ? body.slice(0, signOff.index) : body).join('\n').trim();
}

function nameLines(senderName?: string): Set<string> {
  const full = normalise(senderName ?? '');
  if (!full) return new Set();
  const first = full.split(' ')[0];
  return new Set([full, first]);
}

// "- Tom", "Tom x", "Tom." all count as the name line.
function normalise(line: string): string {
  return line
    .toLowerCase()
    .replace(/^[\s\-–—~]+/, '')
    .replace(/(\s+x+)?[\s.,!]*$/, '')
    .replace(/\s+/g, ' ');
}

/** The sender's own words: history removed, then the signature. */
export function cleanNote(ownText: string, senderName?: string): string {
  return stripSignature(stripQuotedHistory(ownText), senderName);
}
