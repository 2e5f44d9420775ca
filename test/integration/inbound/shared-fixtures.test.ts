import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMember, createGroup } from '../../../src/members/members.js';
import { newId } from '../../../src/domain/ids.js';
import { deps, emailsTo, eventually, inboundDomain, sendSmtp, sentEmails } from '../harness.js';

const dir = join(import.meta.dirname, '../../fixtures/email');
const roster = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/members.json'), 'utf8'));
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')).cases as Record<string, any>;

/** The Harbour Chapter of members.json, under a unique slug so the run's other tests are untouched. */
async function harbour() {
  const d = deps();
  const slug = `harbour-${newId(6)}`;
  const [adminName, adminEmail] = /^(.*) <(.*)>$/.exec(roster.group.admin)!.slice(1);
  const { group } = await createGroup(d, { name: roster.group.name, slug, timezone: roster.group.timezone, admin: { name: adminName!, email: adminEmail! } });
  const ids: Record<string, string> = {};
  for (const m of roster.members) {
    if (m.email === adminEmail) continue;
    const { member } = await addMember(d, group.id, m);
    if (m.extraAddresses) {
      const { updateMember } = await import('../../../src/members/members.js');
      await updateMember(d, member.id, { extraAddresses: m.extraAddresses }, { isAdmin: true });
    }
  }
  for (const m of await d.store.listMembers(group.id)) ids[m.email] = m.id;
  return { group, log: `${slug}@${inboundDomain}`, ids, d };
}

describe('shared fixtures: forwarded mail over real SMTP', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
    const want = expected[file];
    it(`${file}`, async () => {
      const h = await harbour();
      const raw = readFileSync(join(dir, file), 'utf8').replaceAll('{{LOG}}', h.log);
      const from = /^From:.*?<([^>]+)>/m.exec(raw)![1]!;
      const before = (await sentEmails()).length;
      await sendSmtp(raw, { from, to: [h.log] });

      if (want.referral === null) {
        const refusal = await eventually(async () => (await emailsTo(from)).length > 0 && emailsTo(from), 'the refusal');
        expect(refusal).toHaveLength(1);
        // a second mail the same day gets no second refusal
        await sendSmtp(raw.replace(/Message-ID: <[^>]+>/i, `Message-ID: <${newId()}@x.example>`), { from, to: [h.log] });
        expect(await emailsTo(from)).toHaveLength(1);
        expect(await h.d.store.listReferrals({ groupId: h.group.id })).toEqual([]);
        return;
      }
      const referral = await eventually(async () => (await h.d.store.listReferrals({ groupId: h.group.id }))[0], 'the referral');
      const w = want.referral;
      expect(referral.status).toBe(w.status);
      expect(referral.referrerId).toBe(h.ids[w.referrer]);
      if (w.provider) expect(referral.providerId).toBe(h.ids[w.provider]);
      expect(referral.prospect.name).toBe(w.prospect.name);
      expect(referral.prospect.email).toBe(w.prospect.email);
      if (w.prospect.phone) expect(referral.prospect.phone).toBe(w.prospect.phone);
      for (const word of w.needIncludes ?? []) expect(referral.need.toLowerCase()).toContain(word);
      if (w.consent !== undefined) expect(referral.consent).toBe(w.consent);
      expect(referral.source).toBe('email');

      if (file === '04-bcc-intro.eml') {
        expect(referral.introducedByReferrer).toBe(true);
        expect(referral.pending.map((p) => p.kind)).not.toContain('intro');
      }
      if (w.status === 'logged') {
        await eventually(async () => (await emailsTo(w.referrer)).some((m) => m.subject.includes(w.prospect.name)), 'the receipt');
        await eventually(async () => (await emailsTo(w.provider)).some((m) => m.subject.includes(w.prospect.name)), 'the provider notice');
      } else {
        const ask = await eventually(async () => (await sentEmails()).slice(before).find((m) => m.destination.to.includes(w.referrer)), 'the needs-info question');
        expect(ask.body.text).toContain('Sam Ortiz');
        expect(ask.body.text).toContain('Sam Lee');
      }
      // the same Message-ID never logs twice
      await sendSmtp(raw, { from, to: [h.log] });
      expect(await h.d.store.listReferrals({ groupId: h.group.id })).toHaveLength(1);
    });
  }
});
