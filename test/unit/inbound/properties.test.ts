import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Address, ParsedMail } from '../../../src/inbound/mail-types.js';
import { MailParseError, parseMail } from '../../../src/inbound/parse-mail.js';
import { resolveReferralFromMail, type RosterMember } from '../../../src/inbound/resolve-parties.js';
import { harbourRoster, INBOUND_DOMAIN, LOG_ADDRESS } from './mail-cases.js';

const roster = harbourRoster([{ name: 'Olga Brandt', email: 'olga@brandtprint.example', status: 'removed' }]);

/** Pieces real mail is made of, so generated input reaches the MIME, forward and note readers, not just the first check. */
const FRAGMENTS = [
  'From: Alice Morgan <alice@morganlaw.example>\r\n',
  'From: =?utf-8?B?Sm9zw6k=?= <jose@x.example>\r\n',
  `To: ${LOG_ADDRESS}\r\n`,
  'Cc: Sam Ortiz <sam@ortizplumbing.example>, Priya <priya@ledgerlane.example>\r\n',
  'Subject: Fwd: =?windows-1252?Q?=93quote=94_=80?=\r\n',
  'Content-Type: multipart/mixed; boundary="b"\r\n',
  'Content-Type: text/html; charset=windows-1252\r\n',
  'Content-Type: message/rfc822\r\n',
  'Content-Transfer-Encoding: base64\r\n',
  'Content-Transfer-Encoding: quoted-printable\r\n',
  'Auto-Submitted: no\r\n',
  'Return-Path: <>\r\n',
  '\r\n',
  '--b\r\n',
  '--b--\r\n',
  '---------- Forwarded message ---------\r\nFrom: Bob <bob@x.example>\r\nDate: x\r\nSubject: y\r\nTo: a <a@b.example>\r\n\r\n',
  '________________________________\r\nFrom: Helen Price <helen@p.example>\r\nSent: today\r\nTo: Tom\r\nSubject: s\r\n\r\n',
  'Begin forwarded message:\r\n\r\n> From: Grace <g@o.example>\r\n',
  'for: Sam O\r\n',
  'prospect: Jo <jo@x.example>, 07700 900123\r\n',
  'No intro please\r\n',
  'On Mon, Bob <b@x.example> wrote:\r\n> hi\r\n',
  '<div><b>From:</b> X &lt;x@y.example&gt;<br></div>',
  '=E2=80=99=\r\n',
  'SGVsbG8gd29ybGQ=\r\n',
  'Sent from my iPhone\r\n',
];

const mimeLike = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

async function expectOnlyMailParseError(raw: string | Uint8Array): Promise<ParsedMail | undefined> {
  try {
    return await parseMail(raw);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(MailParseError);
    return undefined;
  }
}

function resolveSafely(mail: ParsedMail, envelopeTo: string[], members: RosterMember[] = roster) {
  const result = resolveReferralFromMail({ mail, envelopeTo, logAddress: LOG_ADDRESS, inboundDomain: INBOUND_DOMAIN, roster: members });
  // Invariants every caller relies on.
  if (result.kind === 'referral') {
    expect(result.prospect.name.length).toBeGreaterThan(0);
    expect(result.providerId).not.toBe(result.referrerId);
    expect(members.some((m) => m.id === result.providerId && m.status === 'active')).toBe(true);
  }
  if (result.kind === 'needs_info') {
    expect(result.missing.length).toBeGreaterThan(0);
    expect(result.question.length).toBeGreaterThan(0);
  }
  return result;
}

describe('properties', () => {
  it('parseMail throws nothing but MailParseError on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        await expectOnlyMailParseError(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('parseMail throws nothing but MailParseError on MIME-like text, and what it reads resolves without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(mimeLike, fc.boolean(), async (raw, bcc) => {
        const mail = await expectOnlyMailParseError(raw);
        if (mail) resolveSafely(mail, bcc ? [LOG_ADDRESS] : []);
      }),
      { numRuns: 400 },
    );
  });

  it('resolveReferralFromMail never throws on arbitrary parsed mail and rosters', () => {
    const emails = fc.oneof(
      fc.constantFrom(...roster.map((m) => m.email), 'dana.kim@mailbox.example', LOG_ADDRESS, `x@${INBOUND_DOMAIN}`, 'bob@x.example', ''),
      fc.emailAddress(),
    );
    const address: fc.Arbitrary<Address> = fc.record({ name: fc.oneof(fc.string(), fc.constantFrom('Sam', 'Sam Ortiz', 'Price, Helen')), email: emails });
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('for: Sam', 'For Sam, please.', 'prospect: Jo <jo@x.example>', 'no intro', 'Sam O - x', "Priya's"));
    const forwarded = fc.record({
      from: fc.option(address, { nil: undefined }),
      to: fc.array(address, { maxLength: 3 }),
      cc: fc.array(address, { maxLength: 3 }),
      subject: fc.string({ maxLength: 40 }),
      body: text,
      via: fc.constantFrom('inline' as const, 'attachment' as const),
    });
    const parsed: fc.Arbitrary<ParsedMail> = fc.record({
      from: fc.option(address, { nil: undefined }),
      to: fc.array(address, { maxLength: 4 }),
      cc: fc.array(address, { maxLength: 4 }),
      replyTo: fc.constant([]),
      subject: fc.string({ maxLength: 40 }),
      text: fc.constant(''),
      hasTextPart: fc.boolean(),
      note: text,
      forwarded: fc.array(forwarded, { maxLength: 3 }),
      autoReply: fc.boolean(),
      headers: fc.constant({}),
      contentHash: fc.constant(''),
    });
    const extraMembers = fc.array(
      fc.record({
        id: fc.uuid(),
        name: fc.string({ maxLength: 20 }),
        email: emails,
        extraAddresses: fc.array(emails, { maxLength: 2 }),
        status: fc.constantFrom('active' as const, 'removed' as const),
        business: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      }),
      { maxLength: 3 },
    );

    fc.assert(
      fc.property(parsed, fc.array(emails, { maxLength: 2 }), extraMembers, (mail, envelopeTo, extra) => {
        resolveSafely(mail, envelopeTo, [...roster, ...extra]);
      }),
      { numRuns: 1000 },
    );
  });
});
