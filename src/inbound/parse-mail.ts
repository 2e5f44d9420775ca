import { createHash } from 'node:crypto';
import { convert as htmlToText } from 'html-to-text';
import PostalMime, { type Address as PostalAddress, type Attachment, type Email } from 'postal-mime';
import { sendableAddress } from '../mail/mime/build-mime.js';
import { isAutoReply } from './auto-reply.js';
import { repairCp1252 } from './cp1252.js';
import { splitInlineForwards } from './forward-chain.js';
import { assertWithinLimits } from './mail-limits.js';
import { cleanNote } from './note-text.js';
import { prepareForReading, unixLineEnds } from './readable-text.js';
import {
  DEFAULT_MAIL_LIMITS,
  MailParseError,
  type Address,
  type ForwardedMessage,
  type MailLimits,
  type ParsedMail,
} from './mail-types.js';

export { MailParseError, DEFAULT_MAIL_LIMITS } from './mail-types.js';
export type { Address, ForwardedMessage, MailLimits, ParsedMail } from './mail-types.js';

/**
 * Reads a raw inbound email (RFC 5322 bytes, as SES stores them in S3 or the SMTP server receives them):
 * addresses, the sender's note, the chain of forwarded messages (inline or attached), auto-reply signals.
 *
 * Pure apart from hashing: no I/O. Hostile input is cut off early by `limits`.
 *
 * @throws MailParseError — and nothing else — when the mail is over a limit or cannot be read at all.
 */
export async function parseMail(raw: Uint8Array | string, limits?: Partial<MailLimits>): Promise<ParsedMail> {
  const effective: MailLimits = { ...DEFAULT_MAIL_LIMITS, ...limits };
  try {
    return (await readMessage(toBytes(raw, effective), effective, 0)).mail;
  } catch (error: unknown) {
    if (error instanceof MailParseError) throw error;
    throw new MailParseError('malformed', 'The mail could not be read', { cause: error });
  }
}

function toBytes(raw: Uint8Array | string, limits: MailLimits): Uint8Array {
  if (typeof raw !== 'string') return raw;
  // UTF-8 is never shorter than the string, so a too-long string is refused before encoding it.
  if (raw.length > limits.maxBytes) {
    throw new MailParseError('too_large', `Mail of ${raw.length} characters is over the ${limits.maxBytes}-byte limit`);
  }
  return new TextEncoder().encode(raw);
}

interface ReadResult {
  mail: ParsedMail;
  /** The message's own text above any forward, before signature removal (a forwarded signature holds the phone). */
  ownText: string;
}

async function readMessage(bytes: Uint8Array, limits: MailLimits, depth: number): Promise<ReadResult> {
  assertWithinLimits(bytes, limits);
  const email = await parseMime(bytes, limits);

  const headers = firstHeaderValues(email);
  const from = email.from ? toAddresses([email.from])[0] : undefined;
  const subject = repairCp1252(email.subject ?? '').trim();
  const html = email.html ? repairCp1252(email.html) : undefined;
  const hasTextPart = !!email.text?.trim();
  const text = unixLineEnds(hasTextPart ? repairCp1252(email.text!) : html ? htmlAsText(html, limits) : '');

  const { ownText, forwarded } = await findForwards(email, text, subject, limits, depth);
  const mail: ParsedMail = {
    messageId: email.messageId?.trim() || undefined,
    inReplyTo: email.inReplyTo?.trim() || undefined,
    from,
    to: toAddresses(email.to),
    cc: toAddresses(email.cc),
    replyTo: toAddresses(email.replyTo),
    subject,
    date: email.date || undefined,
    text,
    hasTextPart,
    html,
    note: cleanNote(ownText, from?.name),
    forwarded,
    autoReply: isAutoReply({ headers, fromEmail: from?.email, subject }),
    headers,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
  };
  return { mail, ownText };
}

async function parseMime(bytes: Uint8Array, limits: MailLimits): Promise<Email> {
  try {
    return await PostalMime.parse(bytes, {
      // Every message/rfc822 part comes back as an attachment so forwards are parsed here, under our own limits.
      forceRfc822Attachments: true,
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: limits.maxMimeDepth,
      maxHeadersSize: limits.maxHeaderBytes,
      maxRfc822NestingDepth: 0,
    });
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nesting depth/i.test(message)) throw new MailParseError('too_deep', message, { cause: error });
    if (/header size/i.test(message)) throw new MailParseError('header_too_long', message, { cause: error });
    throw new MailParseError('malformed', `MIME parsing failed: ${message}`, { cause: error });
  }
}

/**
 * An inline forward in the text wins; otherwise the first attached message is the forward. When both exist,
 * attachments belong to the forwarded mail (Gmail carries the original's attachments along) and are ignored.
 */
async function findForwards(
  email: Email,
  text: string,
  subject: string,
  limits: MailLimits,
  depth: number,
): Promise<{ ownText: string; forwarded: ForwardedMessage[] }> {
  const budget = limits.maxForwardDepth - depth;

  const readable = prepareForReading(text, limits.maxTextChars);
  if (budget <= 0) return { ownText: readable, forwarded: [] };

  const inline = splitInlineForwards(readable, subject, budget);
  if (inline.forwarded.length > 0) return inline;

  const attached = isReport(email) ? undefined : email.attachments.find(isAttachedMessage);
  if (!attached || !(attached.content instanceof ArrayBuffer)) return { ownText: readable, forwarded: [] };

  const inner = await readMessage(new Uint8Array(attached.content), limits, depth + 1);
  const message: ForwardedMessage = {
    from: inner.mail.from,
    to: inner.mail.to,
    cc: inner.mail.cc,
    subject: inner.mail.subject,
    date: inner.mail.date,
    body: inner.ownText.trim(),
    via: 'attachment',
  };
  return { ownText: readable, forwarded: [message, ...inner.mail.forwarded] };
}

function isAttachedMessage(attachment: Attachment): boolean {
  const type = attachment.mimeType.toLowerCase();
  return type === 'message/rfc822' || type === 'message/global' || /\.eml$/i.test(attachment.filename ?? '');
}

// A bounce carries the failed message as a part: evidence, not a forward.
function isReport(email: Email): boolean {
  return email.headers.some((header) => header.key === 'content-type' && /multipart\/report/i.test(header.value));
}

function htmlAsText(html: string, limits: MailLimits): string {
  // Markup (Outlook puts kilobytes of CSS first) is ~10× the text it carries; html-to-text itself is linear.
  // Cut here rather than through maxInputLength, which would also log a warning per mail.
  return htmlToText(html.slice(0, limits.maxTextChars * 10), {
    wordwrap: false,
    limits: { maxDepth: 200 },
    selectors: [
      // "Bob <bob@x [mailto:bob@x]>" would hide the address from the forward parser.
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      // Apple Mail wraps a forwarded message in <blockquote type="cite">; "> " prefixes would hide its header block.
      { selector: 'blockquote', format: 'block' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    ],
  }).trim();
}

function firstHeaderValues(email: Email): Record<string, string> {
  // No prototype: a header named "constructor" or "__proto__" must read as a header, nothing else.
  const headers = Object.create(null) as Record<string, string>;
  for (const { key, value } of email.headers) {
    if (!Object.hasOwn(headers, key)) headers[key] = value;
  }
  return headers;
}

/**
 * A mailbox's address as one we could answer. A broken header such as `""unterminated" <x@example.com>`
 * leaves the display name inside the address; the part in angle brackets is what the sender meant.
 * Anything still unsendable is dropped, so no later answer can fail on it.
 */
function mailboxAddress(raw: string): string | undefined {
  const trimmed = raw.trim().toLowerCase();
  const candidate = sendableAddress(trimmed) ? trimmed : /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(trimmed)?.[1];
  return candidate && sendableAddress(candidate) ? candidate : undefined;
}

function toAddresses(list: PostalAddress[] | undefined): Address[] {
  const result: Address[] = [];
  for (const entry of list ?? []) {
    for (const mailbox of entry.group ?? [entry]) {
      const email = mailboxAddress(mailbox.address ?? '');
      if (!email) continue;
      result.push({ name: repairCp1252(mailbox.name ?? '').trim(), email });
    }
  }
  return result;
}
