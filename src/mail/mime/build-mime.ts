import { randomBytes, randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';

/**
 * Builds the raw MIME of an outgoing email (RFC 5322, 2045-2047) for SES `SendRawEmail`: pure, no I/O.
 *
 * What it produces, and why it is safe:
 * - All output is 7-bit ASCII with CRLF line endings. Non-ASCII header text (subject, display names,
 *   extra header values) goes into RFC 2047 encoded-words (`=?UTF-8?Q?…?=` or `?B?`, whichever is
 *   shorter), each at most 60 characters and never splitting a UTF-8 sequence.
 * - Header lines are folded at spaces to at most 78 characters where a space allows it; no line is
 *   ever longer than 998 (a value that would need one throws).
 * - CR or LF in any header name or value throws: no header can be injected.
 * - Bodies are UTF-8, quoted-printable, lines at most 76 characters, line breaks made CRLF. Text
 *   and HTML go in `multipart/alternative` (text first); text alone is a single text/plain part.
 * - The boundary contains `=_`, which quoted-printable output can never contain (a literal `=` is
 *   always written `=3D`), so it cannot occur in the content.
 * - No attachments: nothing we send has any.
 */

/** A bare address (`a@b.example`) or one with a display name. */
export type MailAddress = string | { name?: string; address: string };

export interface MimeMessage {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  replyTo?: MailAddress[];
  subject: string;
  text: string;
  html?: string;
  /** Extra headers such as List-Unsubscribe. Names the builder writes itself are refused. */
  headers?: Record<string, string>;
  /** Defaults to now. */
  date?: Date;
  /** Without angle brackets, e.g. `abc@relay.example`; defaults to a random one at the sender's domain. */
  messageId?: string;
  /** The multipart boundary; defaults to a random one. Must start with `=_` to be safe by construction. */
  boundary?: string;
}

export class MimeError extends Error {
  override name = 'MimeError';
}

const MAX_LINE = 78;
const HARD_MAX_LINE = 998;
const QP_LINE = 76;
/** Encoded-word payload budget (60 - `=?UTF-8?Q?` - `?=`): keeps `Subject: ` plus one word under 78. */
const WORD_PAYLOAD = 48;
const MANAGED = new Set(['auto-submitted', 'x-auto-response-suppress', 'from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding']);

export function buildMime(msg: MimeMessage): string {
  if (msg.to.length === 0) throw new MimeError('an email needs at least one To address');
  const from = formatAddress(msg.from);
  const lines: string[] = [
    foldHeader('From', from.formatted),
    foldHeader('To', formatAddressList(msg.to)),
    ...(msg.cc?.length ? [foldHeader('Cc', formatAddressList(msg.cc))] : []),
    ...(msg.replyTo?.length ? [foldHeader('Reply-To', formatAddressList(msg.replyTo))] : []),
    foldHeader('Subject', encodeUnstructured(msg.subject, 'subject')),
    foldHeader('Date', formatDate(msg.date ?? new Date())),
    foldHeader('Message-ID', `<${checkMessageId(msg.messageId ?? `${randomUUID()}@${from.domain}`)}>`),
    'MIME-Version: 1.0',
    // Every message this system sends is automated (RFC 3834): other robots must not answer it, so two
    // auto-responders cannot loop; Exchange/Outlook read the second header for the same purpose.
    'Auto-Submitted: auto-generated',
    'X-Auto-Response-Suppress: All',
  ];
  for (const [name, value] of Object.entries(msg.headers ?? {})) {
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw new MimeError(`not a valid header name: ${JSON.stringify(name)}`);
    if (MANAGED.has(name.toLowerCase())) throw new MimeError(`header ${name} is written by the builder`);
    lines.push(foldHeader(name, encodeUnstructured(value, 'extra')));
  }

  const text = textPart('plain', msg.text);
  if (msg.html === undefined) return [...lines, ...text.headers, '', text.body, ''].join('\r\n');

  const boundary = msg.boundary ?? `=_rr_${randomBytes(12).toString('hex')}`;
  if (!/^=_[A-Za-z0-9_.-]{1,68}$/.test(boundary)) throw new MimeError('a boundary must start with =_ and be at most 70 safe characters');
  const html = textPart('html', msg.html);
  return [
    ...lines,
    foldHeader('Content-Type', `multipart/alternative; boundary="${boundary}"`),
    '',
    `--${boundary}`,
    ...text.headers,
    '',
    text.body,
    `--${boundary}`,
    ...html.headers,
    '',
    html.body,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function textPart(subtype: 'plain' | 'html', content: string) {
  return {
    headers: [`Content-Type: text/${subtype}; charset=UTF-8`, 'Content-Transfer-Encoding: quoted-printable'],
    body: quotedPrintable(content),
  };
}

// ---- headers ----

function rejectLineBreaks(value: string, what: string): void {
  if (/[\r\n]/.test(value)) throw new MimeError(`${what} contains a line break: ${JSON.stringify(value.slice(0, 80))}`);
}

/**
 * `Name: value` folded at spaces into lines of at most 78 characters where possible: a fold goes before
 * a space, never leaves a line of only whitespace, and nothing is lost (unfolding gives the value back).
 */
export function foldHeader(name: string, value: string): string {
  rejectLineBreaks(name, 'a header name');
  rejectLineBreaks(value, `header ${name}`);
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of value.split(' ')) {
    const piece = ` ${word}`;
    if (word !== '' && line.length + piece.length > MAX_LINE && line.trim() !== '') {
      lines.push(line);
      line = piece;
    } else {
      line += piece;
    }
  }
  lines.push(line);
  if (lines.some((l) => l.length > HARD_MAX_LINE)) throw new MimeError(`header ${name} has a word too long to fold`);
  return lines.join('\r\n');
}

/**
 * Unstructured text: kept as it is when it is plain printable ASCII that reads back the same, else
 * encoded-words. A subject is also encoded when its whitespace would not survive (leading, trailing,
 * doubled) or a word is too long to fold; an extra header (often structured, like List-Unsubscribe's
 * `<url>`) is encoded only when it is not printable ASCII.
 */
function encodeUnstructured(value: string, kind: 'subject' | 'extra'): string {
  rejectLineBreaks(value, kind === 'subject' ? 'the subject' : 'a header value');
  const plain = kind === 'subject' ? /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(value) || value === '' : /^[\x20-\x7e\t]*$/.test(value);
  const fits = kind === 'extra' || value.split(' ').every((w) => w.length <= MAX_LINE - 2);
  return plain && fits && !value.includes('=?') ? value : encodeWords(value);
}

/** RFC 2047 encoded-words, separated by spaces (which decoders drop between adjacent words). */
export function encodeWords(value: string): string {
  if (value === '') return '';
  const q = chunk(value, (cp) => qEncode(cp).length, WORD_PAYLOAD).map((part) => `=?UTF-8?Q?${[...part].map(qEncode).join('')}?=`);
  const b = chunk(value, (cp) => Buffer.byteLength(cp), (WORD_PAYLOAD / 4) * 3).map((part) => `=?UTF-8?B?${Buffer.from(part).toString('base64')}?=`);
  const qLength = q.join(' ').length;
  return (qLength <= b.join(' ').length ? q : b).join(' ');
}

/** Q encoding restricted to what RFC 2047 §5(3) allows in a phrase, so it is also safe in display names. */
function qEncode(codePoint: string): string {
  if (/^[A-Za-z0-9!*+\-/]$/.test(codePoint)) return codePoint;
  if (codePoint === ' ') return '_';
  return [...Buffer.from(codePoint)].map(hexByte).join('');
}

/** Splits into runs of whole code points whose cost adds up to at most `budget`. */
function chunk(value: string, cost: (codePoint: string) => number, budget: number): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const cp of value) {
    const c = cost(cp);
    if (used + c > budget && current !== '') {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += cp;
    used += c;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts;
}

const ATOMS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+( [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

function formatAddress(input: MailAddress): { formatted: string; domain: string } {
  const { name = '', address } = typeof input === 'string' ? { address: input } : input;
  rejectLineBreaks(name, 'a display name');
  const { formatted: addr, domain } = checkAddress(address);
  if (name === '') return { formatted: addr, domain };
  let phrase: string;
  if (name.includes('=?') || !/^[\x20-\x7e]*$/.test(name) || /^ | $| {2}/.test(name)) phrase = encodeWords(name);
  else if (ATOMS.test(name)) phrase = name;
  else phrase = `"${name.replace(/[\\"]/g, '\\$&')}"`;
  return { formatted: `${phrase} <${addr}>`, domain };
}

function formatAddressList(list: MailAddress[]): string {
  return list.map((a) => formatAddress(a).formatted).join(', ');
}

/** A dot-atom local part and a host name; a non-ASCII host name becomes its punycode (A-label) form. */
function checkAddress(address: string): { formatted: string; domain: string } {
  rejectLineBreaks(address, 'an address');
  const sendable = sendableAddress(address);
  if (!sendable) throw new MimeError(`not a sendable email address: ${JSON.stringify(address.slice(0, 80))}`);
  return sendable;
}

/**
 * The address as we can put it on the wire (dot-atom local part, ASCII host name), or undefined. Inbound
 * code asks this before it keeps an address it may answer, so building the answer can never fail.
 */
export function sendableAddress(address: string): { formatted: string; domain: string } | undefined {
  if (/[\r\n]/.test(address)) return undefined;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = at > 0 ? domainToASCII(address.slice(at + 1)) : '';
  if (!/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/.test(local) || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(domain)) {
    return undefined;
  }
  return { formatted: `${local}@${domain}`, domain };
}

function checkMessageId(id: string): string {
  if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(id) || /[<>]/.test(id)) throw new MimeError(`not a valid Message-ID: ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

/** RFC 5322 date-time, in UTC: `Mon, 23 Nov 2026 14:14:22 +0000`. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new MimeError('invalid Date');
  return date.toUTCString().replace(/GMT$/, '+0000');
}

// ---- bodies ----

const hexByte = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks (CRLF, LF or CR) become CRLF, encoded
 * lines are at most 76 characters with soft breaks, trailing spaces and tabs are encoded, and so is
 * a `.` or the `F` of `From ` at the start of a line (harmless, and safe from dot-stuffing and mbox).
 */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const bytes = Buffer.from(line);
      const out: string[] = [];
      let current = '';
      bytes.forEach((byte, i) => {
        const last = i === bytes.length - 1;
        let token: string;
        if ((byte === 0x20 || byte === 0x09) && !last) token = String.fromCharCode(byte);
        else if (byte >= 33 && byte <= 126 && byte !== 61) token = String.fromCharCode(byte);
        else token = hexByte(byte);
        if (current.length + token.length > (last ? QP_LINE : QP_LINE - 1)) {
          out.push(`${current}=`);
          current = '';
        }
        if (current === '' && (token === '.' || (token === 'F' && bytes.subarray(i, i + 5).toString() === 'From '))) token = hexByte(byte);
        current += token;
      });
      out.push(current);
      return out.join('\r\n');
    })
    .join('\r\n');
}
