import fc from 'fast-check';
import PostalMime, { decodeWords, type Email } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMime, encodeWords, foldHeader, MimeError, quotedPrintable, type MimeMessage } from '../../../src/mail/mime/build-mime.js';

const DATE = new Date('2026-11-23T14:05:09Z');
const base: MimeMessage = { from: 'relay@relay.example.com', to: ['priya@ledgerlane.example'], subject: 'Hello', text: 'Hi', html: '<p>Hi</p>', date: DATE };

const parse = (raw: string): Promise<Email> => PostalMime.parse(raw);
/**
 * A body as a mail reader gets it back: line breaks as LF, a final one added, and a leading U+FEFF
 * gone. UTF-8 decoders (TextDecoder, as the WHATWG Encoding Standard says) take a leading U+FEFF for a
 * byte-order mark and drop it; fast-check found an HTML body of just that (seed 1497596170).
 */
const asParsed = (body: string) => `${body.replace(/^\ufeff/, '').replace(/\r\n|\r/g, '\n')}\n`;
const headerBlock = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));
const headerLines = (raw: string) => headerBlock(raw).split('\r\n');
const header = (raw: string, name: string) =>
  headerBlock(raw)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

/**
 * Every line ends in CRLF, nothing but 7-bit ASCII, no body line over 76, no header line over 78 unless
 * it is one word that cannot be folded (a long List-Unsubscribe URL), and none over 998.
 */
function expectWellFormed(raw: string) {
  expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  expect(raw).toMatch(/^[\x00-\x7f]*$/);
  expect(raw.endsWith('\r\n')).toBe(true);
  for (const line of headerLines(raw)) {
    expect(line.length).toBeLessThanOrEqual(998);
    if (line.length > 78) expect(line).toMatch(/^ \S+$/);
  }
  for (const line of raw.slice(raw.indexOf('\r\n\r\n') + 4).split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).not.toMatch(/[ \t]$/); // RFC 2045: no whitespace at the end of an encoded line
  }
}

describe('buildMime round-trips through postal-mime', () => {
  const text = [
    'Hi Priya — Bob’s bakery needs “a bookkeeper”: €1,200/month 🍞🧾 (café crème).',
    'From here on, a line that starts with From and a space.',
    '.a line that starts with a dot',
    '.',
    'trailing spaces   ',
    'trailing tab\t',
    'a = sign, =3D, and =?UTF-8?Q?not_a_word?= in the body',
    `a long line ${'long-word-'.repeat(30)} with € and 👍 and more ${'x'.repeat(120)}`,
    '',
    '-- ',
    'The Relay',
  ].join('\n');
  const html = `<p>Hi Priya — “quoted” €1,200 🍞</p>\n<p style="margin:0">${'<span>é</span>'.repeat(40)}</p>\n.\nFrom here\n<p>end  </p>`;
  const msg: MimeMessage = {
    from: 'relay@relay.example.com',
    to: ['priya@ledgerlane.example', { name: 'Bob Stone', address: 'bob@stonebakery.example' }],
    cc: [{ name: 'Zoë “Z” Müller 🦊', address: 'zoe@muller.example' }, { name: 'Smith, John (Jr.)', address: 'john@smith.example' }],
    replyTo: ['r+a1b2c3d4e5f6g7h8i9j0@reply.relay.example'],
    subject: 'Intro: Bob’s café needs “a bookkeeper” — €1,200/month 🍞 and a subject long enough to fold',
    text,
    html,
    headers: {
      'List-Unsubscribe': `<https://app.relay.example.com/unsubscribe/${'a1b2c3d4e5'.repeat(8)}.sig>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Relay-Note': 'Grüße — “ok”',
    },
    date: DATE,
    messageId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0@relay.example.com',
  };

  it('gives back every header and both bodies exactly', async () => {
    const raw = buildMime(msg);
    const mail = await parse(raw);
    expect(mail.from).toEqual({ name: '', address: 'relay@relay.example.com' });
    expect(mail.to).toEqual([
      { name: '', address: 'priya@ledgerlane.example' },
      { name: 'Bob Stone', address: 'bob@stonebakery.example' },
    ]);
    expect(mail.cc).toEqual([
      { name: 'Zoë “Z” Müller 🦊', address: 'zoe@muller.example' },
      { name: 'Smith, John (Jr.)', address: 'john@smith.example' },
    ]);
    expect(mail.replyTo).toEqual([{ name: '', address: 'r+a1b2c3d4e5f6g7h8i9j0@reply.relay.example' }]);
    expect(mail.subject).toBe(msg.subject);
    expect(new Date(mail.date!).getTime()).toBe(DATE.getTime());
    expect(mail.messageId).toBe('<0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0@relay.example.com>');
    const headers = Object.fromEntries(mail.headers.map((h) => [h.key, h.value]));
    expect(headers['mime-version']).toBe('1.0');
    expect(headers['list-unsubscribe']).toBe(msg.headers!['List-Unsubscribe']);
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['auto-submitted']).toBe('auto-generated');
    expect(decodeWords(headers['x-relay-note']!)).toBe('Grüße — “ok”');
    expect(mail.text).toBe(asParsed(text));
    expect(mail.html).toBe(asParsed(html));
    expect(mail.attachments).toEqual([]);
  });

  it('is well formed: CRLF only, ASCII only, short lines, the documented header order', () => {
    const raw = buildMime(msg);
    expectWellFormed(raw);
    const names = headerLines(raw)
      .filter((l) => !/^[ \t]/.test(l))
      .map((l) => l.slice(0, l.indexOf(':')));
    expect(names).toEqual(['From', 'To', 'Cc', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Auto-Submitted', 'X-Auto-Response-Suppress', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'X-Relay-Note', 'Content-Type']);
    expect(header(raw, 'Date')).toBe('Date: Mon, 23 Nov 2026 14:05:09 +0000');
  });

  it('puts text/plain then text/html in multipart/alternative, UTF-8 and quoted-printable, behind a boundary absent from the content', () => {
    const raw = buildMime(msg);
    const boundary = /boundary="([^"]+)"/.exec(header(raw, 'Content-Type')!)![1]!;
    expect(header(raw, 'Content-Type')).toBe(`Content-Type: multipart/alternative; boundary="${boundary}"`);
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    const parts = body.split(`--${boundary}`);
    expect(parts).toHaveLength(4); // preamble, text, html, and the epilogue after the closing `--`
    expect(parts[0]).toBe('');
    expect(parts[1]).toMatch(/^\r\nContent-Type: text\/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/);
    expect(parts[2]).toMatch(/^\r\nContent-Type: text\/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/);
    expect(parts[3]).toBe('--\r\n');
    expect(raw.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
    // quoted-printable never writes `=_`, and the boundary holds it
    expect(boundary.startsWith('=_')).toBe(true);
    expect(quotedPrintable(text + html)).not.toContain('=_');
  });

  it('encodes non-ASCII headers as RFC 2047 encoded-words of at most 75 characters, addresses stay plain', () => {
    const raw = buildMime(msg);
    const words = raw.match(/=\?[^?]+\?[QB]\?[^?]*\?=/g)!;
    expect(words.length).toBeGreaterThan(3);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    expect(header(raw, 'Cc')).toMatch(/^Cc: =\?UTF-8\?[QB]\?.*\?= <zoe@muller\.example>, "Smith, John \(Jr\.\)" <john@smith\.example>$/);
    expect(header(raw, 'To')).toBe('To: priya@ledgerlane.example, Bob Stone <bob@stonebakery.example>');
    expect(header(raw, 'Subject')).toMatch(/^Subject: =\?UTF-8\?[QB]\?/);
  });

  it('gives a single text/plain part when there is no HTML', async () => {
    const raw = buildMime({ ...base, html: undefined, text: 'Only text — €5\n.\nFrom me' });
    expectWellFormed(raw);
    expect(raw).not.toContain('multipart');
    expect(header(raw, 'Content-Type')).toBe('Content-Type: text/plain; charset=UTF-8');
    expect(header(raw, 'Content-Transfer-Encoding')).toBe('Content-Transfer-Encoding: quoted-printable');
    const mail = await parse(raw);
    expect(raw.endsWith('\r\n=46rom me\r\n')).toBe(true);
    expect(mail.text).toBe(asParsed('Only text — €5\n.\nFrom me'));
    expect(mail.html).toBeUndefined();
  });

  it('leaves plain ASCII subjects and simple names readable, and punycodes an international domain', async () => {
    const raw = buildMime({ ...base, from: { name: 'Referral Relay', address: 'relay@relay.example.com' }, to: [{ name: 'Jürgen', address: 'j@münchen.example' }], subject: 'Your weekly digest: 3 referrals' });
    expect(header(raw, 'Subject')).toBe('Subject: Your weekly digest: 3 referrals');
    expect(header(raw, 'From')).toBe('From: Referral Relay <relay@relay.example.com>');
    expect(header(raw, 'To')).toMatch(/^To: =\?UTF-8\?[QB]\?.+\?= <j@xn--mnchen-3ya\.example>$/);
    expect((await parse(raw)).to).toEqual([{ name: 'Jürgen', address: 'j@xn--mnchen-3ya.example' }]);
  });

  it('makes a fresh Message-ID at the sender’s domain and a fresh boundary each time', () => {
    const a = buildMime({ ...base, date: undefined });
    const b = buildMime({ ...base, date: undefined });
    expect(header(a, 'Message-ID')).toMatch(/^Message-ID: <[0-9a-f-]{36}@relay\.example\.com>$/);
    expect(header(a, 'Message-ID')).not.toBe(header(b, 'Message-ID'));
    expect(header(a, 'Content-Type')).not.toBe(header(b, 'Content-Type'));
    expect(header(a, 'Date')).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });
});

describe('header injection', () => {
  const attempts = ['x\r\nBcc: victim@evil.example', 'x\nBcc: victim@evil.example', 'x\rBcc: victim@evil.example'];
  it.each(attempts)('refuses CR/LF in the subject, a header value, a header name, a display name or an address (%j)', (evil) => {
    expect(() => buildMime({ ...base, subject: evil })).toThrow(MimeError);
    expect(() => buildMime({ ...base, headers: { 'X-Note': evil } })).toThrow(MimeError);
    expect(() => buildMime({ ...base, headers: { [evil]: 'v' } })).toThrow(MimeError);
    expect(() => buildMime({ ...base, to: [{ name: evil, address: 'a@b.example' }] })).toThrow(MimeError);
    expect(() => buildMime({ ...base, to: [`a@b.example${evil.slice(1)}`] })).toThrow(MimeError);
    expect(() => buildMime({ ...base, from: `relay@relay.example.com${evil.slice(1)}` })).toThrow(MimeError);
  });

  it('marks every message as automated (RFC 3834), so no other robot answers it and no caller can say otherwise', () => {
    for (const m of [base, { ...base, html: undefined }, { ...base, headers: { 'X-Relay-Note': 'x' } }]) {
      const raw = buildMime(m);
      expect(header(raw, 'Auto-Submitted')).toBe('Auto-Submitted: auto-generated');
      expect(header(raw, 'X-Auto-Response-Suppress')).toBe('X-Auto-Response-Suppress: All');
    }
    expect(() => buildMime({ ...base, headers: { 'Auto-Submitted': 'no' } })).toThrow(MimeError);
  });

  it('refuses header names that are not field names, and the headers the builder writes itself', () => {
    for (const name of ['X Note', 'X:Note', '', 'Ünicode', 'Bcc', 'bcc', 'Content-Type', 'Subject', 'from', 'MIME-Version', 'Content-Transfer-Encoding', 'Auto-Submitted', 'auto-submitted', 'X-Auto-Response-Suppress']) {
      expect(() => buildMime({ ...base, headers: { [name]: 'v' } }), name).toThrow(MimeError);
    }
  });

  it('refuses addresses that are not plain addr-specs (so nothing can ride along in an address)', () => {
    for (const address of ['', 'no-at-sign', '@x.example', 'a@', 'a b@x.example', 'Bob <bob@x.example>', 'a@b.example, c@d.example', 'a@b.example>', '"q"@x.example', 'a..b@x.example', 'ü@x.example', 'a@[1.2.3.4]']) {
      expect(() => buildMime({ ...base, to: [address] }), address).toThrow(MimeError);
    }
    expect(() => buildMime({ ...base, to: [] })).toThrow(MimeError);
  });

  it('encodes rather than passes through things a reader would take for structure', async () => {
    const subject = '=?UTF-8?B?Zm9v?= is literal';
    const raw = buildMime({ ...base, subject, to: [{ name: 'Eve "the" <evil@x.example>', address: 'eve@x.example' }] });
    const mail = await parse(raw);
    expect(mail.subject).toBe(subject);
    expect(mail.to).toEqual([{ name: 'Eve "the" <evil@x.example>', address: 'eve@x.example' }]);
  });
});

describe('folding', () => {
  it('folds a long ASCII subject at spaces into lines of at most 78, and unfolding gives it back', async () => {
    const subject = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const raw = buildMime({ ...base, subject });
    expectWellFormed(raw);
    expect(header(raw, 'Subject')).toBe(`Subject: ${subject}`);
    expect(headerLines(raw).filter((l) => l.startsWith(' ')).length).toBeGreaterThan(1);
    expect((await parse(raw)).subject).toBe(subject);
  });

  it('encodes a subject with a word too long to fold, so it still folds', async () => {
    const subject = `see ${'x'.repeat(200)} now`;
    const raw = buildMime({ ...base, subject });
    expectWellFormed(raw);
    expect((await parse(raw)).subject).toBe(subject);
  });

  it('folds many recipients after the commas', async () => {
    const to = Array.from({ length: 12 }, (_, i) => ({ name: `Member Number ${i}`, address: `member-${i}@group.example` }));
    const raw = buildMime({ ...base, to });
    expectWellFormed(raw);
    expect((await parse(raw)).to).toEqual(to.map((a) => ({ name: a.name, address: a.address })));
  });

  it('keeps a structured value whole: a long URL goes on its own line, longer than 78 but never over 998', () => {
    const url = `<https://app.relay.example.com/unsubscribe/${'z'.repeat(300)}>`;
    const raw = buildMime({ ...base, headers: { 'List-Unsubscribe': url } });
    expect(headerLines(raw)).toContain(` ${url}`);
    expect(header(raw, 'List-Unsubscribe')).toBe(`List-Unsubscribe: ${url}`);
    expect(() => buildMime({ ...base, headers: { 'List-Unsubscribe': `<https://x.example/${'z'.repeat(1000)}>` } })).toThrow(MimeError);
  });

  it('never leaves a folded line of only whitespace', () => {
    const folded = foldHeader('X-Spaces', `a${' '.repeat(100)}b${' '.repeat(100)}`);
    for (const line of folded.split('\r\n')) expect(line.trim()).not.toBe('');
    expect(folded.replace(/\r\n/g, '')).toBe(`X-Spaces: a${' '.repeat(100)}b${' '.repeat(100)}`);
  });
});

describe('quotedPrintable', () => {
  it('writes CRLF, encodes = and trailing whitespace, and keeps lines at most 76', () => {
    expect(quotedPrintable('a = b\nc  \r\nd\t\re')).toBe('a =3D b\r\nc =20\r\nd=09\r\ne');
    expect(quotedPrintable('.x\nFrom y\nFro')).toBe('=2Ex\r\n=46rom y\r\nFro');
    const long = quotedPrintable('é'.repeat(100));
    for (const line of long.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^(=[0-9A-F]{2})+=?$/); // never splits an =XX
    }
  });
});

describe('properties', () => {
  // any Unicode text (graphemes, or any code points incl. controls) without lone surrogates, which UTF-8 cannot carry
  const unicode = (constraints: { minLength?: number; maxLength?: number } = {}) =>
    fc.oneof(fc.string({ unit: 'grapheme', ...constraints }), fc.string({ unit: 'binary', ...constraints }), fc.string({ unit: fc.constantFrom(' ', '\t', 'a', '=', '?', '_', '"', '\\', '<', ',', 'é', '€', '’', '😀'), ...constraints }));
  // Removing line breaks can empty a string, so minLength is applied again afterwards.
  const oneLine = (constraints: { minLength?: number; maxLength?: number } = {}) =>
    unicode(constraints)
      .map((s) => s.replace(/[\r\n]/g, ''))
      .filter((s) => s.length >= (constraints.minLength ?? 0));

  it('any one-line subject comes back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(oneLine({ maxLength: 200 }), async (subject) => {
        const raw = buildMime({ ...base, subject });
        expectWellFormed(raw);
        // postal-mime reads an empty Subject as none
        expect((await parse(raw)).subject ?? '').toBe(subject);
      }),
      { numRuns: 300 },
    );
  });

  it('any display name comes back exactly, the address plain', async () => {
    await fc.assert(
      fc.asyncProperty(oneLine({ minLength: 1, maxLength: 80 }), oneLine({ minLength: 1, maxLength: 80 }), async (name, other) => {
        const to = [{ name, address: 'a@b.example' }, { name: other, address: 'c@d.example' }];
        const raw = buildMime({ ...base, from: { name, address: 'relay@relay.example.com' }, to });
        expectWellFormed(raw);
        expect(header(raw, 'To')).toMatch(/ <a@b\.example>, .* <c@d\.example>$/);
        const mail = await parse(raw);
        expect(mail.from).toEqual({ name, address: 'relay@relay.example.com' });
        expect(mail.to).toEqual(to);
      }),
      { numRuns: 300 },
    );
  });

  it('any text and HTML bodies come back exactly (line breaks as LF)', async () => {
    const body = fc.oneof(unicode({ maxLength: 400 }), fc.array(fc.oneof(oneLine({ maxLength: 120 }), fc.constantFrom('From x', '.', '. ', 'a  ', '\t', '=', '=_', '-- ')), { maxLength: 12 }).map((l) => l.join('\n')));
    await fc.assert(
      fc.asyncProperty(body, body, async (text, html) => {
        const raw = buildMime({ ...base, text, html });
        expectWellFormed(raw);
        const mail = await parse(raw);
        expect(mail.text).toBe(asParsed(text));
        expect(mail.html).toBe(asParsed(html));
      }),
      { numRuns: 300 },
    );
  });

  it('encoded-words decode to their input, each at most 75 characters', () => {
    fc.assert(
      fc.property(unicode({ maxLength: 300 }), (value) => {
        const encoded = encodeWords(value);
        for (const word of encoded.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
        expect(decodeWords(encoded)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
