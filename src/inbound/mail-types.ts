/**
 * Shapes of an inbound email once read (see PRODUCT.md "Email as the interface").
 * Plain data: produced by `parseMail`, consumed by `resolveReferralFromMail`.
 */

/** One mailbox. `email` is always lower-cased; `name` is the decoded display name or ''. */
export interface Address {
  name: string;
  email: string;
}

/** One message found inside the mail the member sent: an inline forward or an attached `message/rfc822`. */
export interface ForwardedMessage {
  from?: Address;
  to: Address[];
  cc: Address[];
  subject: string;
  /** As written in the forward header block (inline) or the ISO date (attached); never trusted for timing. */
  date?: string;
  /** This message's own text. A further forward inside it is the next entry of the chain, not part of this body. */
  body: string;
  /** How it was carried, for diagnostics. */
  via: 'inline' | 'attachment';
}

/** An inbound email, read the way a person would read it. */
export interface ParsedMail {
  messageId?: string;
  inReplyTo?: string;
  from?: Address;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  subject: string;
  /** ISO 8601 when the Date header parses; informational only (timing uses the receipt time). */
  date?: string;
  /** The whole outer text part (the HTML part converted to text when the mail is HTML-only). */
  text: string;
  /** The mail had a text/plain part of its own (false: `text` was derived from the HTML). */
  hasTextPart: boolean;
  html?: string;
  /** The sender's own words above any forwarded part: quoted history and obvious signatures removed. */
  note: string;
  /** Outermost first; the last entry is the innermost, original message. Empty when nothing was forwarded. */
  forwarded: ForwardedMessage[];
  /** Auto-reply, out-of-office, bounce or bulk mail: never to be answered. */
  autoReply: boolean;
  /** Lower-cased header names → first value (raw, not decoded), for diagnostics. */
  headers: Record<string, string>;
  /** SHA-256 (hex) of the raw bytes: dedupe key when there is no Message-ID. */
  contentHash: string;
}

/**
 * Bounds that cut hostile input off before it costs real CPU or memory.
 * Every limit applies to each nested (attached) message again, and nesting itself is bounded.
 */
export interface MailLimits {
  /** Whole raw message, in bytes. SES accepts up to 40 MB, so nothing larger is legitimate. */
  maxBytes: number;
  /** Multipart nesting depth (a real mail rarely goes past 5). */
  maxMimeDepth: number;
  /** One header field, unfolded, in bytes (a To: with hundreds of recipients is still far below). */
  maxHeaderLineBytes: number;
  /** All headers of all parts together, in bytes. */
  maxHeaderBytes: number;
  /** MIME parts (boundary delimiters) in one message. */
  maxParts: number;
  /**
   * Lines in the raw mail, and lines shorter than 40 bytes. postal-mime keeps a 7bit/8bit body as one Blob part
   * per line, which costs ~10 µs a line on Node 20, so a body of millions of tiny lines would take minutes.
   * 600k lines still fits a 40 MB mail of base64 (76-character lines).
   */
  maxLines: number;
  maxShortLines: number;
  /** Forwards inside forwards (inline or attached) followed before giving up on deeper ones. */
  maxForwardDepth: number;
  /**
   * Characters of text (and of HTML) read for the note and forwards. The regex-based forward parser is
   * superlinear on crafted input, so this stays small; a note and the forward headers sit at the top.
   */
  maxTextChars: number;
}

/** The limits used when the caller gives none. */
export const DEFAULT_MAIL_LIMITS: Readonly<MailLimits> = Object.freeze({
  maxBytes: 40 * 1024 * 1024,
  maxMimeDepth: 32,
  maxHeaderLineBytes: 64 * 1024,
  maxHeaderBytes: 1024 * 1024,
  maxParts: 500,
  maxLines: 600_000,
  maxShortLines: 100_000,
  maxForwardDepth: 8,
  maxTextChars: 64_000,
});

/** Why a mail was refused by `parseMail`. */
export type MailParseFailure =
  | 'too_large'
  | 'too_deep'
  | 'header_too_long'
  | 'too_many_parts'
  | 'too_many_lines'
  | 'malformed';

/** A mail that cannot be read safely. The only error `parseMail` throws. */
export class MailParseError extends Error {
  readonly reason: MailParseFailure;

  constructor(reason: MailParseFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailParseError';
    this.reason = reason;
  }
}
