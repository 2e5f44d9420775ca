/**
 * Items 1 and 2 of issue 12, through the inbound Lambda's handler with SES receipt events (the base
 * fixture spread with overrides) against DynamoDB Local and the local SES: who is trusted, who is told.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { inboundHandler } from '../../../src/runtime/aws/inbound-handler.js';
import { advanceClock, deps, emailsTo, eventually, freshGroup, useOwnStack } from '../harness.js';

const baseEvent = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/events/ses-receipt.json'), 'utf8'));

// A week of this file's own time (its own clock, scheduler and table): moving it runs no other file's steps.
useOwnStack('file');

interface Delivery {
  from: string;
  envelopeFrom?: string;
  to: string;
  verdicts: { spf?: string; dkim?: string; dmarc?: string };
  signers?: string[];
  raw?: string;
}

/** A raw-mail "bucket" that records every read, so a test can prove untrusted mail is never opened. */
function bucket() {
  const objects = new Map<string, string>();
  const reads: string[] = [];
  return { objects, reads, read: async (key: string) => (reads.push(key), new TextEncoder().encode(objects.get(key) ?? '')) };
}

function receipt(d: Delivery, store: ReturnType<typeof bucket>) {
  const messageId = `m${newId(12)}`;
  const headers = [
    { name: 'From', value: `Alice <${d.from}>` },
    ...(d.signers ?? []).map((s) => ({ name: 'DKIM-Signature', value: `v=1; a=rsa-sha256; d=${s}; s=sel; h=from; bh=x; b=y` })),
    { name: 'To', value: d.to },
    { name: 'Subject', value: 'Fwd: books' },
  ];
  store.objects.set(`raw/${messageId}`, d.raw ?? `${headers.map((h) => `${h.name}: ${h.value}`).join('\r\n')}\r\nMessage-ID: <${messageId}@x.example>\r\n\r\nPriya, please call Bob on 07700 900123.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Bob Stone <bob-${messageId}@stonebakery.example>\r\nSubject: books\r\nTo: ${d.from}\r\n\r\nI need a bookkeeper.\r\n`);
  const status = (s?: string) => (s ? { status: s } : undefined);
  const record = structuredClone(baseEvent.Records[0]);
  record.ses.mail = { ...record.ses.mail, messageId, source: d.envelopeFrom ?? d.from, destination: [d.to], headers, headersTruncated: false };
  record.ses.receipt = { ...record.ses.receipt, recipients: [d.to], spfVerdict: status(d.verdicts.spf), dkimVerdict: status(d.verdicts.dkim), dmarcVerdict: status(d.verdicts.dmarc) };
  return { Records: [record] };
}

async function setup() {
  const g = await freshGroup([{ name: 'Priya Shah' }]);
  const d = deps();
  const store = bucket();
  const alice = `alice-${g.tag}@smallfirm.example`;
  const { updateMember } = await import('../../../src/members/members.js');
  await updateMember(d, g.admin.id, { extraAddresses: [alice] }, { isAdmin: true });
  // Fresh deps per delivery: the local clock is read when deps are built, and a test may advance it.
  const deliver = (over: Partial<Delivery> & Pick<Delivery, 'verdicts'>) => inboundHandler(deps(), store.read)(receipt({ from: alice, to: g.logAddress, ...over, raw: over.raw?.replaceAll('{{LOG}}', g.logAddress) }, store));
  const referrals = () => d.store.listReferrals({ groupId: g.group.id });
  const notices = async (to: string) => (await emailsTo(to)).filter((m) => /could not be trusted/.test(m.subject));
  return { g, d, store, alice, deliver, referrals, notices };
}

describe('inbound sender authentication (SES receipt events)', () => {
  it('a member whose domain has no DMARC policy logs by email when DKIM passes aligned with the From domain', async () => {
    const s = await setup();
    await s.deliver({ verdicts: { dmarc: 'GRAY', spf: 'FAIL', dkim: 'PASS' }, signers: ['smallfirm.example'] });
    expect(await s.referrals()).toHaveLength(1);
  });

  it('…or when SPF passes for an envelope sender of the same domain', async () => {
    const s = await setup();
    await s.deliver({ verdicts: { dmarc: 'GRAY', spf: 'PASS', dkim: 'GRAY' }, envelopeFrom: `bounce@mail.smallfirm.example` });
    expect(await s.referrals()).toHaveLength(1);
  });

  it('an unaligned pass is never trusted; the member is told why once a week, and the mail is never read', async () => {
    const s = await setup();
    await s.deliver({ verdicts: { dmarc: 'GRAY', spf: 'PASS', dkim: 'PASS' }, envelopeFrom: 'bounces@esp-mailer.example', signers: ['esp-mailer.example'] });
    await s.deliver({ verdicts: { dmarc: 'GRAY', spf: 'FAIL', dkim: 'PASS' }, signers: ['attacker.example', 'smallfirm.example'] });
    await s.deliver({ verdicts: { dmarc: 'FAIL', spf: 'PASS', dkim: 'PASS' }, envelopeFrom: 'x@attacker.example', signers: ['attacker.example'] });
    expect(await s.referrals()).toEqual([]);
    expect(s.store.reads).toEqual([]);
    const [notice, ...more] = await s.notices(s.alice);
    expect(more).toEqual([]);
    expect(notice!.body.text).toMatch(/smallfirm\.example publishes no DMARC policy/);
    expect(notice!.body.text).toMatch(/DKIM signing/);

    // A week later the member hears again (the store may by then hold many other emails: look for a new one).
    await advanceClock('P8D');
    await s.deliver({ verdicts: { dmarc: 'GRAY', spf: 'FAIL', dkim: 'FAIL' } });
    await eventually(async () => (await s.notices(s.alice)).some((m) => m.messageId !== notice!.messageId), 'a second notice a week later');
  });

  it('a forged sender who is not a member gets nothing, whatever the mail holds (no backscatter)', async () => {
    const s = await setup();
    const stranger = `victim-${s.g.tag}@innocent.example`;
    let deep = 'deep';
    for (let i = 0; i < 60; i++) deep = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${deep}\r\n--b${i}--`;
    const unreadable = `From: Victim <${stranger}>\r\nTo: {{LOG}}\r\nSubject: Fwd: deep\r\nMIME-Version: 1.0\r\n${deep}\r\n`;
    for (const verdicts of [{ dmarc: 'FAIL' }, { dmarc: 'GRAY', spf: 'FAIL', dkim: 'FAIL' }, { dmarc: 'GRAY', spf: 'PASS' }]) {
      await s.deliver({ from: stranger, envelopeFrom: 'x@attacker.example', verdicts, raw: unreadable });
    }
    expect(s.store.reads).toEqual([]);
    expect(await s.d.store.listDeadLetters(s.g.group.id)).toEqual([]);
    expect(await emailsTo(stranger)).toEqual([]);
  });

  it('proven but unreadable mail is kept, and only the proven From address is answered (never the envelope sender)', async () => {
    const s = await setup();
    let deep = 'deep';
    for (let i = 0; i < 60; i++) deep = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${deep}\r\n--b${i}--`;
    const bounceTo = `bounces-${s.g.tag}@esp-mailer.example`;
    await s.deliver({ verdicts: { dmarc: 'PASS' }, envelopeFrom: bounceTo, raw: `From: Alice <${s.alice}>\r\nTo: {{LOG}}\r\nSubject: Fwd: deep\r\nMIME-Version: 1.0\r\n${deep}\r\n` });
    expect(await s.d.store.listDeadLetters(s.g.group.id)).toHaveLength(1);
    expect((await emailsTo(s.alice)).filter((m) => /not logged/.test(m.subject))).toHaveLength(1);
    expect(await emailsTo(bounceTo)).toEqual([]);
  });
});
