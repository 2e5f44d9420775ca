import { MailParseError, type MailLimits } from './mail-types.js';

/**
 * Cheap checks on the raw bytes, run before the MIME parser builds anything, so a hostile mail
 * (oversized, a megabyte-long header, tens of thousands of tiny parts) costs one linear scan and no more.
 * Nesting depth and the total header size are enforced again by postal-mime while it parses.
 *
 * @throws MailParseError when a limit is exceeded.
 */
export function assertWithinLimits(bytes: Uint8Array, limits: MailLimits): void {
  if (bytes.byteLength > limits.maxBytes) {
    const message = `Mail of ${bytes.byteLength} bytes is over the ${limits.maxBytes}-byte limit`;
    throw new MailParseError('too_large', message);
  }
  // latin1 maps every byte to one char, so string offsets equal byte offsets and nothing can fail to decode.
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  assertHeaderLines(raw, limits);
  assertLineCount(raw, limits);
  assertPartCount(raw, limits);
}

/** Shorter than any base64 line, so only text bodies of tiny lines count against maxShortLines. */
const SHORT_LINE = 40;

function assertLineCount(raw: string, limits: MailLimits): void {
  let lines = 0;
  let shortLines = 0;
  let start = 0;
  for (let end = raw.indexOf('\n'); end !== -1; end = raw.indexOf('\n', start)) {
    lines++;
    if (end - start < SHORT_LINE) shortLines++;
    if (lines > limits.maxLines || shortLines > limits.maxShortLines) {
      const message = `Mail has more than ${limits.maxLines} lines or ${limits.maxShortLines} short lines`;
      throw new MailParseError('too_many_lines', message);
    }
    start = end + 1;
  }
}

function assertHeaderLines(raw: string, limits: MailLimits): void {
  let fieldLength = 0;
  let pos = 0;
  while (pos < raw.length) {
    let end = raw.indexOf('\n', pos);
    if (end === -1) end = raw.length;
    const line = raw.slice(pos, Math.min(end, pos + limits.maxHeaderLineBytes + 1));
    if (line === '' || line === '\r') return; // blank line: the header block ends here
    const continuation = line.startsWith(' ') || line.startsWith('\t');
    fieldLength = (continuation ? fieldLength : 0) + (end - pos);
    if (fieldLength > limits.maxHeaderLineBytes) {
      throw new MailParseError('header_too_long', `A header field is over ${limits.maxHeaderLineBytes} bytes`);
    }
    if (end + 1 > limits.maxHeaderBytes) {
      throw new MailParseError('header_too_long', `The header block is over ${limits.maxHeaderBytes} bytes`);
    }
    pos = end + 1;
  }
}

const BOUNDARY_PARAM = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;

/** Counts delimiter lines of boundaries the mail declares; a body line that merely starts with "--" does not count. */
function assertPartCount(raw: string, limits: MailLimits): void {
  const boundaries = new Set<string>();
  for (const match of raw.matchAll(BOUNDARY_PARAM)) {
    boundaries.add(match[1] ?? match[2]);
    if (boundaries.size > limits.maxParts) {
      throw new MailParseError('too_many_parts', `Mail declares more than ${limits.maxParts} multiparts`);
    }
  }
  if (boundaries.size === 0) return;

  let parts = 0;
  let pos = raw.startsWith('--') ? 0 : raw.indexOf('\n--');
  while (pos !== -1) {
    const start = raw.startsWith('--', pos) ? pos + 2 : pos + 3;
    const lineEnd = raw.indexOf('\n', start);
    const line = raw.slice(start, lineEnd === -1 ? raw.length : Math.min(lineEnd, start + 210)).trimEnd();
    const isDelimiter = boundaries.has(line) || boundaries.has(line.replace(/--$/, ''));
    if (isDelimiter && ++parts > limits.maxParts) {
      throw new MailParseError('too_many_parts', `Mail has more than ${limits.maxParts} MIME parts`);
    }
    pos = raw.indexOf('\n--', start);
  }
}
