/**
 * Line-level recognisers for the parts of a reply that are not the new text: quote attributions
 * ("On … wrote:" in many languages), Outlook header blocks, separators, signatures, sign-offs.
 *
 * Every pattern works on one line or on at most three joined lines (≤ 400 characters), with bounded
 * quantifiers, so a hostile message cannot make them backtrack for long.
 */

const MAX_ATTRIBUTION_LENGTH = 400;

/** First words of an attribution: "On", "Am", "Le", "El", "Em", "Il (giorno)", "Op", "Den", "W dniu", or a weekday abbreviation. */
const ATTRIBUTION_OPENER =
  /^[-\s]*(?:on|am|le|el|em|il|op|den|på|w dniu|dnia|pe|ma|ti|ke|to|la|su|man|tir|ons|tor|tors|fre|lør|søn|mån|tis|lör|sön|pon|wt|śr|czw|pt|sob|niedz|seg|ter|qua|qui|sex|sáb|dom|lun|mar|mer|mié|jeu|jue|ven|vie|sam|dim|mo|di|mi|do|fr|sa|so|пн|вт|ср|чт|пт|сб|вс)(?![\p{L}])/iu;

/** The verb that ends an attribution, before its colon. */
const VERB_AT_END =
  /(?:wrote|writes|schrieb|a [ée]crit|escribi[óo]|escreveu|schreef|ha scritto|scrisse|skrev|kirjoitti|napisał\(a\)|napisała|napisał|pisze|написал\(а\)|написала|написал|napsal\(a\)|napsal|napísal|írta|έγραψε|yazdı|a scris|写道|寫道)\s{0,3}[:：]\s*$/iu;

/** German, Dutch and Scandinavian put the verb before the name: "Am … schrieb Name <x>:". */
const VERB_BEFORE_NAME = /(?:^|\s)(?:schrieb|schreef|skrev|skrifaði)\s.{1,200}[:：]\s*$/iu;

/** Attributions with no verb at all (Russian, Japanese Gmail): a date, then "Name <address>:". */
const ADDRESS_AT_END = /<[^<>\s]{1,200}@[^<>\s]{1,200}>\)?\s{0,3}[:：]\s*$/u;

/** A date or a time, for attributions that start with the date itself ("24.11.2026 10:31 …"). */
const DATE_OR_TIME = /\d{1,4}[./-]\d{1,2}|\d{1,2}[:.]\d{2}|\d{1,2}\.?\s+\p{L}{3,}/u;

/** "-----Original Message-----" and its translations; forwarded-message banners. */
const ORIGINAL_MESSAGE =
  /^-{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|oorspronkelijk bericht|origineel bericht|messaggio originale|mensagem original|ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding|alkuperäinen viesti|oryginalna wiadomość|wiadomość oryginalna|исходное сообщение|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|doorgestuurd bericht|messaggio inoltrato|mensagem encaminhada)\s*-{2,}$/iu;

const FORWARD_BANNER =
  /^(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|inicio del mensaje reenviado|begin doorgestuurd bericht|inizio messaggio inoltrato)\s*:/iu;

/** Outlook mobile and Outlook on the web draw a line of underscores above the quoted header. */
const UNDERSCORE_RULE = /^_{10,}$/;

/** First line of an Outlook header block: "From:", "Von:", "De :", "Da:", "Van:", "Från:"… (optionally bold in plain text). */
const HEADER_FROM =
  /^\*{0,2}\s*(?:from|von|de|van|da|från|fra|od|от|lähettäjä|feladó|kimden|remetente|expéditeur)\s*\*{0,2}\s*[:：]/iu;

/** The other lines of such a block, in the same languages. */
const HEADER_OTHER =
  /^\*{0,2}\s*(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|envoye|à|objet|enviado|fecha|para|asunto|verzonden|aan|onderwerp|inviato|data|a|oggetto|skickat|till|ämne|sendt|til|emne|assunto|lähetetty|vastaanottaja|aihe|wysłano|do|temat|отправлено|кому|тема|dátum|tárgy|címzett|gönderildi|kime|konu)\s*\*{0,2}\s*[:：]/iu;

/** "-- " is the standard signature separator; many clients drop the trailing space. */
const SIGNATURE_SEPARATOR = /^--\s*$/;

/** Lines mobile clients and webmail append ("Sent from my iPhone", "Get Outlook for Android", …). */
const DEVICE_SIGNATURES: readonly RegExp[] = [
  /^sent from my \S.{0,60}$/i,
  /^sent (?:from|with|via|using) (?:outlook|mail|yahoo|aol|gmail|proton ?mail|bluemail|spark|zoho|icloud|samsung|windows|superhuman|blackberry|edison|newton|airmail|mailbird)\b.{0,60}$/i,
  /^get outlook for (?:ios|android|mac|windows)\b.{0,60}$/i,
  /^envoy[ée] (?:de|depuis|à partir de|a partir de) (?:mon|ma|l'|outlook|yahoo|gmail)\S?.{0,50}$/iu,
  /^t[ée]l[ée]charger outlook pour\b.{0,50}$/iu,
  /^von meinem .{1,40} gesendet\.?$/iu,
  /^gesendet (?:von|mit|vom) (?:meinem|meiner|outlook|yahoo|mobil|mail|ios|android|iphone|ipad)\b.{0,50}$/iu,
  /^outlook für (?:ios|android) (?:herunterladen|beziehen)\b.{0,30}$/iu,
  /^enviado (?:desde|do|de|a partir do) (?:mi|meu|o|el|outlook|yahoo|iphone|ipad|android|samsung)\b.{0,50}$/iu,
  /^inviato da (?:il mio |mio )?(?:iphone|ipad|android|outlook|yahoo|samsung|smartphone|libero|dispositivo)\b.{0,40}$/iu,
  /^(?:verzonden|verstuurd) (?:vanaf|met|van) (?:mijn|outlook|yahoo|ios|android)\b.{0,50}$/iu,
  /^skickat från (?:min|outlook|yahoo|e-post)\b.{0,50}$/iu,
  /^sendt fra (?:min|outlook|yahoo|mail)\b.{0,50}$/iu,
  /^lähetetty (?:iphonesta|ipadista|android|outlook|yahoo|mobiili)\S*.{0,40}$/iu,
  /^wysłane z (?:iphone|ipada|ipad|android|outlook|mojego|aplikacji)\S*.{0,40}$/iu,
  /^отправлено (?:с|из) .{1,40}$/iu,
];

/** A line that is only a sign-off ("Thanks,", "Kind regards", "Viele Grüße"), possibly followed by a name. */
const CLOSING =
  /^(?:thanks|thank you|thanks again|many thanks|thanks so much|thx|cheers|best|best wishes|best regards|kind regards|warm regards|warmest regards|regards|all the best|speak soon|talk soon|ta|br|kr|rgds|yours|yours sincerely|sincerely|take care|mit freundlichen grüßen|freundliche grüße|beste grüße|viele grüße|liebe grüße|lg|vg|mfg|cordialement|bien cordialement|bien à vous|amicalement|salutations|saludos|un saludo|atentamente|saluti|cordiali saluti|un saluto|groeten|met vriendelijke groet|vriendelijke groet|mvg|atenciosamente|abraços|cumprimentos|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|med venlig hilsen|venlig hilsen|hilsen|med vennlig hilsen)(?:[\s,.!…]*|[,!]?\s+\p{Lu}[\p{L}'’.-]{0,30}(?:\s+\p{Lu}[\p{L}'’.-]{0,30})?)$/iu;

/** A line of quoted history ("> …"). */
export function isQuotedLine(line: string): boolean {
  return /^\s*>/.test(line);
}

function startsWithOpener(line: string): boolean {
  return ATTRIBUTION_OPENER.test(line);
}

/** Could this line be the first part of an attribution that the client wrapped onto the next line? */
function startsLikeAttribution(line: string): boolean {
  if (startsWithOpener(line)) return /[\d@]/.test(line);
  return /^\d/.test(line) && DATE_OR_TIME.test(line);
}

function isAttribution(candidate: string, followedByQuote: boolean): boolean {
  if (candidate.length > MAX_ATTRIBUTION_LENGTH) return false;
  const endsLikeOne = VERB_AT_END.test(candidate) || VERB_BEFORE_NAME.test(candidate);
  if (endsLikeOne) {
    // A date or an address is what tells "On Mon, 23 Nov 2026 … wrote:" from a sentence ending in "wrote:".
    if (/[\d@]/.test(candidate)) return true;
    // "Alice Morgan wrote:" (Thunderbird without a date) only counts right above quoted lines.
    return followedByQuote && candidate.length <= 120;
  }
  return /\d/.test(candidate) && ADDRESS_AT_END.test(candidate);
}

function nextNonBlank(lines: readonly string[], from: number): number {
  for (let j = from; j < lines.length; j++) if (lines[j].trim() !== '') return j;
  return -1;
}

/** Is the next non-blank line from `from` a quoted ("> …") line? */
export function isFollowedByQuote(lines: readonly string[], from: number): boolean {
  const j = nextNonBlank(lines, from);
  return j !== -1 && isQuotedLine(lines[j]);
}

function joined(lines: readonly string[], start: number, count: number): string {
  return lines
    .slice(start, start + count)
    .map((l) => l.trim())
    .join(' ');
}

/**
 * How many lines (1–3) starting at `i` form an "On … wrote:" attribution, or 0.
 * Gmail and Outlook wrap long attributions, so up to three lines are joined; a join is only tried when
 * line `i` itself starts like an attribution and line `i + 1` does not start one of its own (otherwise
 * a reply such as "On it – called her" right above the attribution would be swallowed).
 */
export function attributionLength(lines: readonly string[], i: number): number {
  const first = lines[i]?.trim() ?? '';
  if (first === '' || first.length > MAX_ATTRIBUTION_LENGTH) return 0;
  if (isAttribution(first, isFollowedByQuote(lines, i + 1))) return 1;
  if (!startsLikeAttribution(first)) return 0;
  const second = lines[i + 1]?.trim() ?? '';
  if (second === '') return 0;
  if (startsWithOpener(second)) {
    const ownAttribution =
      isAttribution(second, isFollowedByQuote(lines, i + 2)) ||
      isAttribution(joined(lines, i + 1, 2), isFollowedByQuote(lines, i + 3));
    if (ownAttribution) return 0;
  }
  for (let count = 2; count <= 3 && i + count <= lines.length; count++) {
    if (isAttribution(joined(lines, i, count), isFollowedByQuote(lines, i + count))) return count;
  }
  return 0;
}

/** Does line `i` start quoted history that has no "> " prefix (Outlook header block, separators, forwards)? */
export function startsHistory(lines: readonly string[], i: number): boolean {
  const line = lines[i].trim();
  if (line === '') return false;
  if (ORIGINAL_MESSAGE.test(line) || FORWARD_BANNER.test(line) || UNDERSCORE_RULE.test(line)) return true;
  if (!HEADER_FROM.test(line)) return false;
  if (/@|\[mailto:/i.test(line)) return true;
  // "From: Referral Relay" alone is only a header when "Sent:", "To:", "Subject:"… follow closely.
  let seen = 0;
  for (let j = i + 1; j < lines.length && seen < 4; j++) {
    const next = lines[j].trim();
    if (next === '') continue;
    seen++;
    if (HEADER_OTHER.test(next)) return true;
  }
  return false;
}

/** A signature separator or a "Sent from my iPhone"-style line: nothing below it is new text. */
export function startsSignature(line: string): boolean {
  const trimmed = line.trim();
  if (SIGNATURE_SEPARATOR.test(trimmed)) return true;
  if (trimmed.length > 100) return false;
  return DEVICE_SIGNATURES.some((re) => re.test(trimmed));
}

/** A sign-off line ("Thanks,", "Kind regards", "Cheers Priya"). */
export function isClosingLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length <= 60 && CLOSING.test(trimmed);
}
