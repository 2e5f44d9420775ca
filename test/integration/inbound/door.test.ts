import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { deps, emailsTo, env, eventually, inboundDomain, sendSmtp } from '../harness.js';
import { reply } from '../replies/reply-helpers.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/email', name), 'utf8');

/**
 * A group of its own whose members' addresses are its own too: counts of mail to the admin must not
 * see mail another test file (running beside this one, on the same SES stand-in) sends the demo's Alice.
 */
async function harbour() {
  const d = deps();
  const tag = newId(6).toLowerCase();
  const slug = `door-${tag}`;
  const alice = `alice.${tag}@morganlaw.example`;
  const sam = `sam.${tag}@ortizplumbing.example`;
  const { group } = await createGroup(d, { name: 'Harbour Chapter', slug, timezone: 'Europe/London', admin: { name: 'Alice Morgan', email: alice } });
  const ids: Record<string, string> = {};
  for (const [name, email] of [['Sam Ortiz', sam], ['Sam Lee', `sam.lee.${tag}@leephoto.example`], ['Priya Shah', `priya.${tag}@ledgerlane.example`]]) {
    ids[email!] = (await addMember(d, group.id, { name: name!, email: email! })).member.id;
  }
  return { d, group, log: `${slug}@${inboundDomain}`, ids, alice, sam };
}

describe('the SMTP door', () => {
  it('refuses recipients outside the inbound domain at RCPT time', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: Number(env.SMTP_PORT), secure: false, ignoreTLS: true });
    await expect(transport.sendMail({ envelope: { from: 'a@b.example', to: ['someone@gmail.example'] }, raw: 'Subject: x\r\n\r\nhi\r\n' })).rejects.toThrow(/550|only accepts/);
    transport.close();
  });

  it('a needs-info referral is completed by the referrer replying `provider: Sam Ortiz`', async () => {
    const h = await harbour();
    const raw = fixture('05-ambiguous-provider.eml').replaceAll('{{LOG}}', h.log).replaceAll('alice@morganlaw.example', h.alice).replace(/Message-ID: <[^>]+>/i, `Message-ID: <${newId()}@x.example>`);
    await sendSmtp(raw, { from: h.alice, to: [h.log] });
    const draft = await eventually(async () => (await h.d.store.listReferrals({ groupId: h.group.id }))[0], 'the draft');
    expect(draft.status).toBe('needs_info');
    expect(draft.pending.map((p) => p.kind).sort()).toEqual(['needs_info_expiry', 'needs_info_reminder']);
    const question = await eventually(async () => {
      const r = (await h.d.store.getReferral(draft.id))!;
      const e = r.timeline.find((t) => t.kind === 'needs_info');
      return e && (await emailsTo(h.alice)).find((m) => m.messageId === e.messageId);
    }, 'the question');
    await reply(question, h.alice, 'provider: Sam Ortiz');
    const logged = await eventually(async () => {
      const r = (await h.d.store.getReferral(draft.id))!;
      return r.status === 'logged' && r;
    }, 'logged');
    expect(logged.providerId).toBe(h.ids[h.sam]);
    expect(logged.pending.map((p) => p.kind)).not.toContain('needs_info_reminder');
    await eventually(async () => (await emailsTo(h.sam)).some((m) => m.subject.includes('Mei Chen')), 'the provider notice');
  });

  it('a bounce or auto-reply to the log address is never answered and logs nothing', async () => {
    const h = await harbour();
    const before = (await emailsTo(h.alice)).length;
    const ooo = `From: Alice Morgan <${h.alice}>\r\nTo: ${h.log}\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <${newId()}@x>\r\n\r\nI am away.\r\n`;
    await sendSmtp(ooo, { from: h.alice, to: [h.log] });
    const bounce = `From: MAILER-DAEMON@mx.example\r\nTo: ${h.log}\r\nSubject: Undelivered Mail\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n`;
    await sendSmtp(bounce, { from: '', to: [h.log] });
    expect(await h.d.store.listReferrals({ groupId: h.group.id })).toEqual([]);
    expect((await emailsTo(h.alice)).length).toBe(before);
  });

  it('mail that cannot be read is kept as a dead letter and the sender told', async () => {
    const h = await harbour();
    // 60 nested multiparts: over the MIME nesting limit
    let body = 'deep';
    for (let i = 0; i < 60; i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--`;
    const raw = `From: Alice Morgan <${h.alice}>\r\nTo: ${h.log}\r\nSubject: Fwd: deep\r\nMessage-ID: <${newId()}@x>\r\nMIME-Version: 1.0\r\n${body}\r\n`;
    const before = (await emailsTo(h.alice)).length;
    await sendSmtp(raw, { from: h.alice, to: [h.log] });
    const letters = await eventually(async () => {
      const l = await h.d.store.listDeadLetters(h.group.id);
      return l.length > 0 && l;
    }, 'the dead letter');
    expect(Buffer.from(letters[0]!.rawBase64!, 'base64').toString()).toContain('Fwd: deep');
    await eventually(async () => (await emailsTo(h.alice)).length > before, 'the note to the sender');
  });

  it('caps the message size at 40 MB', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: Number(env.SMTP_PORT), secure: false, ignoreTLS: true });
    const big = Buffer.alloc(41 * 1024 * 1024, 'a');
    await expect(transport.sendMail({ envelope: { from: 'alice@morganlaw.example', to: [`demo@${inboundDomain}`] }, raw: Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), big]) })).rejects.toThrow(/552|too big|size/i);
    transport.close();
  }, 60_000);
});

describe('dead letters for admins', () => {
  it('an admin sees the raw mail that could not be read; members may not', async () => {
    const { api } = await import('../harness.js');
    const d = deps();
    const slug = `dl-${newId(6)}`;
    const { group, apiKey } = await createGroup(d, { name: 'DL', slug, timezone: 'Europe/London', admin: { name: 'Ada', email: `ada-${slug}@example.com` } });
    const member = await addMember(d, group.id, { name: 'Mo', email: `mo-${slug}@example.com` });
    await d.store.putDeadLetter({ id: newId(), groupId: group.id, receivedAt: d.clock.now().toISOString(), reason: 'too_deep', from: 'x@example.com', envelopeTo: [`${slug}@${inboundDomain}`], rawBase64: Buffer.from('Subject: kept\r\n\r\nbody').toString('base64') });
    const res = await api('GET', '/api/dead-letters', { key: apiKey });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ reason: 'too_deep', raw: expect.stringContaining('Subject: kept') });
    expect((await api('GET', '/api/dead-letters', { key: member.apiKey })).status).toBe(403);
  });
});
