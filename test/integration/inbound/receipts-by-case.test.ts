/**
 * Issue 15 item 7, over real SMTP: each receipt matches its case (a Bcc'd introduction, a referral
 * without consent), and a forward of a prospect already referred to the same member is refused by a
 * note that greets the referrer, says when the open referral was logged and links it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { deps, emailsTo, eventually, inboundDomain, ownAddress, sendSmtp, withOwnAddresses } from '../harness.js';

const dir = join(import.meta.dirname, '../../fixtures/email');
const roster = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/members.json'), 'utf8')) as { group: { name: string; timezone: string }; members: { name: string; email: string; business?: string; category?: string }[] };
/** Files run side by side on one SES stand-in: this file's members have addresses of its own (see ownAddress). */
const rosterAddresses = roster.members.map((m) => m.email);
const ALICE = ownAddress('alice@morganlaw.example');
const PRIYA = ownAddress('priya@ledgerlane.example');

async function harbour() {
  const d = deps();
  const slug = `receipts-${newId(6)}`;
  const { group } = await createGroup(d, { name: roster.group.name, slug, timezone: roster.group.timezone, admin: { name: 'Alice Morgan', email: ALICE } });
  for (const m of roster.members.filter((m) => m.email !== 'alice@morganlaw.example')) await addMember(d, group.id, { ...m, email: ownAddress(m.email) });
  return { d, group, log: `${slug}@${inboundDomain}` };
}

const fixture = (name: string, log: string) => withOwnAddresses(readFileSync(join(dir, name), 'utf8'), rosterAddresses).replaceAll('{{LOG}}', log).replace(/Message-ID: <[^>]+>/, `Message-ID: <${newId()}@mail.example>`);
const flat = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ');

async function newMailTo(address: string, send: () => Promise<unknown>, match: (text: string, subject: string) => boolean, what: string) {
  const before = new Set((await emailsTo(address)).map((e) => e.messageId));
  await send();
  return eventually(async () => (await emailsTo(address)).find((e) => !before.has(e.messageId) && match(flat(e.body.text), e.subject)), what);
}

describe('receipts and refusals, each in its own words', () => {
  it('a second forward of the same prospect to the same member: "Hi Alice", the day the open one was logged, a link to it', async () => {
    const h = await harbour();
    const receipt = await newMailTo(ALICE, () => sendSmtp(fixture('01-gmail-forward.eml', h.log), { from: ALICE, to: [h.log] }), (_t, s) => /Referral logged/.test(s) && s.includes('Bob Stone'), 'the first receipt');
    // The need beside the note is only what the note does not say: the note once.
    expect(receipt.body.text).toMatch(/^Need: Need a bookkeeper before January$/m);
    expect(flat(receipt.body.text).match(/books are a mess/g)).toHaveLength(1);
    const [first] = await h.d.store.listReferrals({ groupId: h.group.id });

    const refusal = await newMailTo(
      ALICE,
      () => sendSmtp(fixture('01-gmail-forward.eml', h.log), { from: ALICE, to: [h.log] }),
      (_t, s) => /Already referred/.test(s),
      'the duplicate refusal',
    );

    const text = flat(refusal.body.text);
    expect(refusal.subject).toMatch(/Already referred.*Bob Stone.*Priya Shah/);
    expect(text).toMatch(/^Hi Alice,/);
    expect(text).toMatch(/Bob Stone was already referred to Priya Shah on \w+day \d{1,2} \w+, and that referral is still open/);
    expect(text).toContain(`/referrals/${first!.id}`);
    // Said once: no raw error text repeated as "Details".
    expect(text.match(/already referred/g)).toHaveLength(1);
    expect(await h.d.store.listReferrals({ groupId: h.group.id })).toHaveLength(1);
  });

  it("a Bcc'd introduction: the receipt says the referrer's own email was the introduction, and nothing about ours", async () => {
    const h = await harbour();
    const receipt = await newMailTo(PRIYA, () => sendSmtp(fixture('04-bcc-intro.eml', h.log), { from: PRIYA, to: [h.log] }), (_t, s) => /Referral logged/.test(s), 'the Bcc receipt');

    const text = flat(receipt.body.text);
    expect(text).toContain('Your own email was the introduction, so we will not send another.');
    expect(text).not.toMatch(/We will introduce|before the introduction goes|no intro|intro: </);
  });

  it('no consent: we tell the referrer the provider knows the prospect will get in touch, and offer no introduction words', async () => {
    const h = await harbour();
    const raw = fixture('01-gmail-forward.eml', h.log).replace("He's expecting her call this week.", 'No intro please, he will call her himself.');
    const receipt = await newMailTo(ALICE, () => sendSmtp(raw, { from: ALICE, to: [h.log] }), (_t, s) => /Referral logged/.test(s) && s.includes('Bob Stone'), 'the no-consent receipt');

    const text = flat(receipt.body.text);
    expect(text).toContain("No consent: we will not email Bob. We've told Priya that Bob will contact them directly.");
    expect(text).not.toMatch(/We will introduce|before the introduction goes|intro: </);
  });
});
