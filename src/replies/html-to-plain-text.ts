/**
 * HTML part → plain text, for replies that come without a text part (Outlook on the web, some
 * mobile clients). Quoted history is cut or rendered as "> " lines so the plain-text rules apply.
 */
import { convert, type HtmlToTextOptions } from 'html-to-text';

/** Far above any real reply; keeps a hostile part from costing real CPU. */
const MAX_HTML_LENGTH = 1_000_000;

/**
 * Outlook puts its quoted history after these elements without wrapping it in a blockquote, so the
 * only safe move is to drop everything from the element on. Outlook always top-posts.
 * (Lower-case needles, found with indexOf: linear whatever the input.)
 */
const CUT_AT = [
  'divrplyfwdmsg', // Outlook on the web / new Outlook: header block of the quoted message
  'appendonsend', // Outlook on the web: empty div right above the quoted message
  'mail-editor-reference-message-container', // Outlook for Mac
  'stopspelling', // older Outlook on the web: <hr id="stopSpelling">
  'yahoo_quoted', // Yahoo Mail
  'outlookmessageheader',
  'border-top:solid #e1e1e1', // Outlook desktop: the rule above "From: … Sent: …"
  'border-top: solid #e1e1e1',
  'border-top:solid #b5c4df', // older Outlook desktop
  'border-top: solid #b5c4df',
];

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  limits: { maxDepth: 200, maxInputLength: MAX_HTML_LENGTH },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'hr', format: 'skip' },
    // Gmail and Apple Mail quote in <blockquote>; the default formatter prefixes "> ", which the
    // plain-text rules then remove (and which keeps bottom-posted replies below the quote).
  ],
};

function positionsOf(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/**
 * Cuts at the first Outlook marker that is not itself inside a blockquote: a marker inside one is a
 * quoted Outlook message in someone else's (possibly bottom-posted) reply, and the new text may follow.
 */
function cutOutlookHistory(html: string): string {
  const lower = html.toLowerCase();
  const opens = positionsOf(lower, '<blockquote');
  const closes = positionsOf(lower, '</blockquote');
  const depthAt = (p: number) => opens.filter((o) => o < p).length - closes.filter((c) => c < p).length;
  let cut = html.length;
  for (const needle of CUT_AT) {
    let tries = 0; // bounded: a hostile part could repeat a marker thousands of times
    for (let at = lower.indexOf(needle); at !== -1 && at < cut && tries < 20; at = lower.indexOf(needle, at + needle.length)) {
      tries++;
      if (depthAt(at) > 0) continue;
      const tagStart = lower.lastIndexOf('<', at);
      cut = tagStart === -1 ? at : tagStart;
      break;
    }
  }
  return html.slice(0, cut);
}

/** Gmail sends emojis as <img data-emoji="👍">; keep the character, drop every other image. */
function keepEmojiImages(html: string): string {
  return html.replace(/<img\b[^>]{0,1000}?\bdata-emoji\s*=\s*"([^"<>]{1,32})"[^>]{0,1000}>/gi, '$1');
}

/** The visible text of an HTML reply, Outlook's quoted history already cut off. Never throws. */
export function htmlToPlainText(html: string): string {
  const bounded = html.length > MAX_HTML_LENGTH ? html.slice(0, MAX_HTML_LENGTH) : html;
  const prepared = keepEmojiImages(cutOutlookHistory(bounded));
  try {
    return convert(prepared, OPTIONS);
  } catch {
    // A parser failure must not lose the reply: fall back to crude tag stripping.
    return prepared
      .replace(/<br\s*\/?>|<\/(?:p|div|li|tr|h\d)>/gi, '\n')
      .replace(/<[^>]{0,2000}>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  }
}
