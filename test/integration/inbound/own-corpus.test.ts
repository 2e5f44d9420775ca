/**
 * The own corpus of forwarded mail (test/fixtures/email-corpus, 42 cases in real clients' formats),
 * sent over real SMTP into the running stack: every case that should log a referral does, with the
 * right parties, in DynamoDB Local; the others log nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { deps, eventually, inboundDomain, sendSmtp } from '../harness.js';

const dir = join(import.meta.dirname, '../../fixtures/email-corpus');
const corpus = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { extraMembers: any[]; cases: Record<string, any> };
const roster = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/members.json'), 'utf8'));

async function harbourWithExtras() {
  const d = deps();
  const slug = `corpus-${newId(6)}`;
  const [adminName, adminEmail] = /^(.*) <(.*)>$/.exec(roster.group.admin)!.slice(1);
  const { group } = await createGroup(d, { name: 'Harbour Chapter', slug, timezone: 'Europe/London', admin: { name: adminName!, email: adminEmail! } });
  const { updateMember } = await import('../../../src/members/members.js');
  for (const m of [...roster.members, ...corpus.extraMembers]) {
    if (m.email === adminEmail) continue;
    const { member } = await addMember(d, group.id, { name: m.name, email: m.email, business: m.business });
    if (m.extraAddresses) await updateMember(d, member.id, { extraAddresses: m.extraAddresses }, { isAdmin: true });
    if (m.status === 'removed') await d.store.updateMember({ ...(await d.store.getMember(member.id))!, status: 'removed' });
  }
  const ids = Object.fromEntries((await d.store.listMembers(group.id)).map((m) => [m.email, m.id]));
  return { d, group, log: `${slug}@${inboundDomain}`, ids };
}

describe('own corpus over real SMTP', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  it.each(files)('%s', async (file) => {
    const want = corpus.cases[file];
    const h = await harbourWithExtras();
    const raw = readFileSync(join(dir, file)).toString('latin1').replaceAll('{{LOG}}', h.log);
    const from = /^Return-Path:\s*<([^>]*)>/im.exec(raw)?.[1] ?? /^From:.*?([^\s<>"]+@[^\s<>"]+)/im.exec(raw)?.[1] ?? '';
    const to = want.envelopeTo ? [want.envelopeTo.replace('{{LOG}}', h.log)] : [h.log];
    await sendSmtp(Buffer.from(raw, 'latin1'), { from, to });

    if (!want.referral) {
      // SMTP answers 250 only once the mail is handled: nothing to wait for.
      expect(await h.d.store.listReferrals({ groupId: h.group.id })).toEqual([]);
      return;
    }
    const r = await eventually(async () => (await h.d.store.listReferrals({ groupId: h.group.id }))[0], `the referral from ${file}`);
    expect(r.status).toBe(want.referral.status);
    expect(r.referrerId).toBe(h.ids[want.referral.referrer]);
    if (want.referral.provider) expect(r.providerId).toBe(h.ids[want.referral.provider]);
    for (const [key, value] of Object.entries(want.referral.prospect ?? {})) {
      if (value === null) expect((r.prospect as unknown as Record<string, unknown>)[key]).toBeUndefined();
      else expect((r.prospect as unknown as Record<string, unknown>)[key]).toBe(value);
    }
    for (const word of want.referral.needIncludes ?? []) expect(r.need.toLowerCase()).toContain(word.toLowerCase());
    if (want.referral.consent !== undefined) expect(r.consent).toBe(want.referral.consent);
    if (want.referral.introducedByReferrer !== undefined) expect(!!r.introducedByReferrer).toBe(want.referral.introducedByReferrer);
  });
});
