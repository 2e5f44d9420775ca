/** Issue 12 items 9 and 11: mail of any size is kept without failing; dead letters expire; erase reaches them. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { api, deps, env, eventually, freshGroup, relay } from '../harness.js';

async function smtp(raw: Buffer | string, from: string, to: string) {
  const transport = createTransport({ host: '127.0.0.1', port: Number(env.SMTP_PORT), secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
}

describe('unreadable mail of any size', () => {
  it('a 39 MB message is accepted (250, never 451) and kept: raw under DATA_DIR, a pointer in the table', async () => {
    const g = await freshGroup([]);
    const head = `From: Ada Admin <${g.admin.email}>\r\nTo: ${g.logAddress}\r\nSubject: Fwd: huge ${g.tag}\r\nMessage-ID: <${newId()}@x.example>\r\n\r\n`;
    const raw = Buffer.concat([Buffer.from(head), Buffer.alloc(39 * 1024 * 1024, 'a\r\n')]);

    const sent = await smtp(raw, g.admin.email, g.logAddress);

    expect(sent.response).toMatch(/^250/);
    const [letter] = await eventually(async () => {
      const l = await deps().store.listDeadLetters(g.group.id);
      return l.length > 0 && l;
    }, 'the dead letter');
    expect(letter!.rawBase64).toBeUndefined();
    expect(letter!.size).toBe(raw.byteLength);
    expect(letter!.rawRef).toMatch(/^file:\d{13}-[a-f0-9]+\.eml$/);
    const kept = await readFile(join(relay.dataDir, 'raw-mail', letter!.rawRef!.slice(5)));
    expect(kept.equals(raw)).toBe(true);
    const listed = await api('GET', '/api/dead-letters', { key: g.admin.apiKey });
    expect(listed.body.items[0]).toMatchObject({ rawRef: letter!.rawRef, size: raw.byteLength });
  }, 120_000);
});

describe('dead letters expire after 30 days locally as in AWS', () => {
  it('a letter past 30 days on the local clock is no longer listed', async () => {
    const g = await freshGroup([]);
    const d = deps();
    const now = d.clock.now().getTime();
    const letter = (id: string, daysAgo: number) => ({ id, groupId: g.group.id, receivedAt: new Date(now - daysAgo * 86_400_000).toISOString(), reason: 'malformed', envelopeTo: [g.logAddress], rawBase64: Buffer.from('Subject: x\r\n\r\nx').toString('base64') });
    await d.store.putDeadLetter(letter(`old-${g.tag}`, 31));
    await d.store.putDeadLetter(letter(`new-${g.tag}`, 29));
    const listed = await api('GET', '/api/dead-letters', { key: g.admin.apiKey });
    expect(listed.body.items.map((l: { id: string }) => l.id)).toEqual([`new-${g.tag}`]);
  });
});

describe('erase_prospect reaches the dead letters', () => {
  it('deletes kept mail that names the prospect, and leaves no trace of their address on the referral', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const bob = `bob-${g.tag}@stonebakery.example`;
    const created = await api('POST', '/api/referrals', { key: g.admin.apiKey, body: { provider: g.members['Priya Shah']!.id, prospect: { name: 'Bob Stone', email: bob, phone: '07700 900123' }, need: 'Bob needs books', consent: true } });
    expect(created.status).toBe(201);
    await api('POST', `/api/referrals/${created.body.id}/actions`, { key: g.members['Priya Shah']!.apiKey, body: { action: 'note', text: `Rang Bob on 07700 900123, wrote to ${bob}` } });
    const d = deps();
    const kept = (id: string, raw: string) => d.store.putDeadLetter({ id, groupId: g.group.id, receivedAt: d.clock.now().toISOString(), reason: 'malformed', from: g.admin.email, envelopeTo: [g.logAddress], rawBase64: Buffer.from(raw).toString('base64') });
    await kept(`bob-${g.tag}`, `From: ${g.admin.email}\r\n\r\nForwarding ${bob.toUpperCase()}\r\n`);
    await kept(`other-${g.tag}`, `From: ${g.admin.email}\r\n\r\nsomeone else\r\n`);

    const erased = await api('POST', `/api/referrals/${created.body.id}/actions`, { key: g.admin.apiKey, body: { action: 'erase_prospect' } });
    expect(erased.status).toBe(200);

    expect((await d.store.listDeadLetters(g.group.id)).map((l) => l.id)).toEqual([`other-${g.tag}`]);
    const after = await api('GET', `/api/referrals/${created.body.id}`, { key: g.admin.apiKey });
    const json = JSON.stringify(after.body).toLowerCase();
    expect(json).not.toContain(bob);
    expect(json).not.toContain('900123');
    expect(json).not.toContain('bob');
  });
});
