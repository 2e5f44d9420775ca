import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MailParseError, parseMail } from '../../../src/inbound/parse-mail.js';

const HEAD = 'From: Alice Morgan <alice@morganlaw.example>\r\nTo: harbour@relay.localhost\r\nSubject: Fwd: test\r\nMIME-Version: 1.0\r\n';

/** Resolves to the MailParseError parseMail rejected with (fails the test when it resolved). */
async function parseError(raw: string | Uint8Array, limits?: Parameters<typeof parseMail>[1]): Promise<MailParseError> {
  const error = await parseMail(raw, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailParseError);
  return error as MailParseError;
}

describe('parseMail: headers and addresses', () => {
  it('reads ids, addresses (lower-cased), date and a sha256 of the raw bytes', async () => {
    const raw =
      'Message-ID: <abc-123@mail.example>\r\nIn-Reply-To: <prev@mail.example>\r\n' +
      'From: "Morgan, Alice" <Alice@MorganLaw.EXAMPLE>\r\nTo: Harbour <HARBOUR@relay.localhost>\r\n' +
      'Cc: Priya Shah <priya@ledgerlane.example>, Team: Tom <tom@beckerinteriors.example>, sam@ortizplumbing.example;\r\n' +
      'Reply-To: alice.reply@morganlaw.example\r\nDate: Tue, 17 Nov 2026 09:02:03 +0000\r\nSubject: Hello\r\n\r\nBody\r\n';

    const mail = await parseMail(raw);

    expect(mail.messageId).toBe('<abc-123@mail.example>');
    expect(mail.inReplyTo).toBe('<prev@mail.example>');
    expect(mail.from).toEqual({ name: 'Morgan, Alice', email: 'alice@morganlaw.example' });
    expect(mail.to).toEqual([{ name: 'Harbour', email: 'harbour@relay.localhost' }]);
    expect(mail.cc.map((a) => a.email)).toEqual([
      'priya@ledgerlane.example',
      'tom@beckerinteriors.example',
      'sam@ortizplumbing.example',
    ]);
    expect(mail.replyTo).toEqual([{ name: '', email: 'alice.reply@morganlaw.example' }]);
    expect(mail.date).toBe('2026-11-17T09:02:03.000Z');
    expect(mail.contentHash).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(mail.headers['message-id']).toBe('<abc-123@mail.example>');
  });

  it('gives the same result for a string and its UTF-8 bytes', async () => {
    const raw = `${HEAD}Content-Type: text/plain; charset=utf-8\r\n\r\nFor Priya – café owner.\r\n`;

    const fromString = await parseMail(raw);
    const fromBytes = await parseMail(new TextEncoder().encode(raw));

    expect(fromBytes).toEqual(fromString);
  });

  it('keeps the first value of a repeated header and treats __proto__ / constructor as plain headers', async () => {
    const raw = `${HEAD}X-Tag: first\r\nX-Tag: second\r\n__proto__: polluted\r\nconstructor: x\r\n\r\nhi\r\n`;

    const mail = await parseMail(raw);

    expect(mail.headers['x-tag']).toBe('first');
    expect(mail.headers['__proto__']).toBe('polluted');
    expect(mail.headers['constructor']).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(mail.autoReply).toBe(false);
  });
});

describe('parseMail: charsets', () => {
  it('decodes windows-1252 quoted-printable (€, curly quotes, dashes) that Node 20 would turn into C1 controls', async () => {
    const raw =
      `${HEAD}Content-Type: text/plain; charset="windows-1252"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n` +
      'Quote =80180 =96 =93fair=94, she=92s happy =85 =8Ar=9Ar\r\n';

    const mail = await parseMail(raw);

    expect(mail.text).toContain('Quote €180 – “fair”, she’s happy … Šrš');
    expect(mail.text).not.toMatch(/[\u0080-\u009f]/);
  });

  it('repairs windows-1252 encoded-word subjects and names too', async () => {
    const raw =
      'From: =?windows-1252?Q?Ren=E9e_O=92Brien?= <renee@example.example>\r\n' +
      'Subject: =?windows-1252?Q?FW:_=93Quote=94_=80200?=\r\n\r\nbody\r\n';

    const mail = await parseMail(raw);

    expect(mail.from?.name).toBe('Renée O’Brien');
    expect(mail.subject).toBe('FW: “Quote” €200');
  });

  it('decodes ISO-8859-15 (€ at 0xA4) and ISO-8859-1 bodies', async () => {
    const latin9 = Buffer.concat([
      Buffer.from(`${HEAD}Content-Type: text/plain; charset=ISO-8859-15\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      Buffer.from([0x50, 0x72, 0x69, 0x63, 0x65, 0x20, 0xa4, 0x35, 0x0d, 0x0a]),
    ]);
    const latin1 = `${HEAD}Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nRen=E9e\r\n`;

    expect((await parseMail(new Uint8Array(latin9))).text).toContain('Price €5');
    expect((await parseMail(latin1)).text).toContain('Renée');
  });
});

describe('parseMail: bodies, notes and forwards', () => {
  it('converts an HTML-only mail to text, keeping addresses out of mailto brackets', async () => {
    const html =
      '<div>For Priya</div><hr><div><b>From:</b> Bob Stone &lt;<a href="mailto:bob@stonebakery.example">bob@stonebakery.example</a>&gt;<br>' +
      '<b>Sent:</b> 17 November 2026 08:00<br><b>To:</b> Alice &lt;alice@morganlaw.example&gt;<br><b>Subject:</b> Books</div><p>Hi</p>';
    const raw = `${HEAD}Content-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;

    const mail = await parseMail(raw);

    expect(mail.html).toContain('<hr>');
    expect(mail.text).toContain('Bob Stone <bob@stonebakery.example>');
    expect(mail.text).not.toContain('mailto:');
    expect(mail.note).toBe('For Priya');
    expect(mail.forwarded.map((m) => m.from?.email)).toEqual(['bob@stonebakery.example']);
  });

  it('strips quoted history and the sign-off from a note without a forward', async () => {
    const raw =
      `${HEAD}Content-Type: text/plain; charset=utf-8\r\n\r\n` +
      'Carla, meet Dana.\r\n\r\nThanks,\r\nAlice\r\n\r\nOn Mon, 16 Nov 2026 at 17:40, Carla <carla@x.example> wrote:\r\n> Hello\r\n';

    const mail = await parseMail(raw);

    expect(mail.note).toBe('Carla, meet Dana.');
    expect(mail.forwarded).toEqual([]);
  });

  it('follows attached messages inside attached messages only maxForwardDepth deep', async () => {
    let message = 'From: Original <original@x.example>\r\nSubject: inner\r\n\r\nThe real request\r\n';
    for (let level = 0; level < 12; level++) {
      message =
        `From: Level ${level} <level${level}@x.example>\r\nSubject: Fwd: level ${level}\r\n` +
        `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n` +
        `--b${level}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename="fwd.eml"\r\n\r\n${message}\r\n--b${level}--\r\n`;
    }

    const deep = await parseMail(message);
    const shallow = await parseMail(message, { maxForwardDepth: 3 });

    expect(deep.forwarded).toHaveLength(8);
    expect(deep.forwarded.every((m) => m.via === 'attachment')).toBe(true);
    expect(shallow.forwarded.map((m) => m.from?.email)).toEqual([
      'level10@x.example',
      'level9@x.example',
      'level8@x.example',
    ]);
  });

  it('treats the original inside a bounce as evidence, not as a forward', async () => {
    const raw =
      'From: MAILER-DAEMON@mx.example\r\nTo: harbour@relay.localhost\r\nSubject: Undelivered\r\n' +
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n' +
      '--r\r\nContent-Type: message/rfc822\r\n\r\nFrom: Alice <alice@morganlaw.example>\r\nSubject: x\r\n\r\nhello\r\n--r--\r\n';

    const mail = await parseMail(raw);

    expect(mail.autoReply).toBe(true);
    expect(mail.forwarded).toEqual([]);
  });

  it('reads a mail with a 30 MB attachment (generated, not committed)', async () => {
    const attachment = Buffer.alloc(22 * 1024 * 1024, 0x25).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw =
      `${HEAD}Content-Type: multipart/mixed; boundary="big"\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nFor Priya - plans attached.\r\n` +
      `--big\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="plans.pdf"\r\n\r\n` +
      `${attachment}\r\n--big--\r\n`;
    expect(raw.length).toBeGreaterThan(30 * 1024 * 1024);

    const mail = await parseMail(raw);

    expect(mail.note).toBe('For Priya - plans attached.');
    expect(mail.forwarded).toEqual([]);
  }, 30_000);
});

describe('parseMail: limits against hostile input', () => {
  it('refuses more than 40 MB before parsing, as a string or as bytes', async () => {
    const huge = `${HEAD}\r\n${'x'.repeat(40 * 1024 * 1024)}`;

    expect((await parseError(huge)).reason).toBe('too_large');
    expect((await parseError(new Uint8Array(2048), { maxBytes: 1024 })).reason).toBe('too_large');
  });

  it('refuses a single header longer than the limit, folded or not', async () => {
    const long = `${HEAD}X-Long: ${'a'.repeat(100_000)}\r\n\r\nbody`;
    const folded = `${HEAD}X-Long: a\r\n${' b\r\n'.repeat(30_000)}\r\nbody`;

    expect((await parseError(long)).reason).toBe('header_too_long');
    expect((await parseError(folded)).reason).toBe('header_too_long');
  });

  it('refuses a header block over the total header limit', async () => {
    const many = `${HEAD}${'X-H: 12345678901234567890123456789012345678901234567890\r\n'.repeat(25_000)}\r\nbody`;

    expect((await parseError(many)).reason).toBe('header_too_long');
  });

  it('refuses deep MIME nesting', async () => {
    let nesting = '';
    for (let i = 0; i < 100; i++) nesting += `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n`;

    const error = await parseError(`${HEAD}${nesting}Content-Type: text/plain\r\n\r\nhi\r\n`);

    expect(error.reason).toBe('too_deep');
    expect(error.name).toBe('MailParseError');
  });

  it('refuses too many MIME parts, but not body lines that merely start with "--"', async () => {
    const parts = '--b\r\nContent-Type: text/plain\r\n\r\npart\r\n'.repeat(600);
    const dashes = `${HEAD}Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${'-- not a boundary\r\n'.repeat(800)}--b--\r\n`;

    expect((await parseError(`${HEAD}Content-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`)).reason).toBe(
      'too_many_parts',
    );
    await expect(parseMail(dashes)).resolves.toMatchObject({ autoReply: false });
  });

  it('refuses a body of hundreds of thousands of tiny lines (slow in the MIME parser)', async () => {
    expect((await parseError(`${HEAD}\r\n${'a\r\n'.repeat(150_000)}`)).reason).toBe('too_many_lines');
  });

  it('reads crafted whitespace and header-like text quickly', async () => {
    const crafted = `${HEAD}\r\n${' '.repeat(500_000)}x\r\n${'On x, "y" <z '.repeat(20_000)}\r\n${'From: a\r\nSent: b\r\n'.repeat(5_000)}`;
    const started = Date.now();

    await parseMail(crafted);

    // Generous bound: without the whitespace normalisation this takes minutes.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
