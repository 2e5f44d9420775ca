/**
 * A provider named by a first name two members share, over real SMTP: the note's trade words decide
 * (07, 08), and when nothing decides (05) the referrer is asked, answers with one word, and the
 * referral goes to that member.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { deps, emailsTo, eventually, inboundDomain, ownAddress, sendSmtp, withOwnAddresses } from '../harness.js';
import { reply } from '../replies/reply-helpers.js';
import { WebClient } from '../web/web-client.js';

const dir = join(import.meta.dirname, '../../fixtures/email');
const roster = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/members.json'), 'utf8')) as { group: { name: string; timezone: string }; members: { name: string; email: string; business?: string; category?: string }[] };
/** Files run side by side on one SES stand-in: this file's members have addresses of its own (see ownAddress). */
const rosterAddresses = roster.members.map((m) => m.email);
const ALICE = ownAddress('alice@morganlaw.example');

async function harbour(adminEmail = ALICE) {
  const d = deps();
  const slug = `named-${newId(6)}`;
  const { group } = await createGroup(d, { name: roster.group.name, slug, timezone: roster.group.timezone, admin: { name: 'Alice Morgan', email: adminEmail } });
  for (const m of roster.members.filter((m) => m.email !== 'alice@morganlaw.example')) await addMember(d, group.id, { ...m, email: ownAddress(m.email) });
  const ids = Object.fromEntries((await d.store.listMembers(group.id)).map((m) => [m.email, m.id]));
  return { d, group, ids, log: `${slug}@${inboundDomain}` };
}

describe('providers named the way people talk, over SMTP', () => {
  it('05: "For Sam, please." asks which Sam, naming both with one word each; "Lee" answers it', async () => {
    // Prepare
    const h = await harbour();
    const raw = withOwnAddresses(readFileSync(join(dir, '05-ambiguous-provider.eml'), 'utf8'), rosterAddresses).replaceAll('{{LOG}}', h.log).replace(/Message-ID: <[^>]+>/, `Message-ID: <${newId()}@mail.gmail.example>`);
    const before = new Set((await emailsTo(ALICE)).map((e) => e.messageId));
    await sendSmtp(raw, { from: ALICE, to: [h.log] });
    const question = await eventually(async () => (await emailsTo(ALICE)).find((e) => !before.has(e.messageId) && e.body.text?.includes('Sam Lee')), 'the needs_info email');

    // Act
    await reply(question, ALICE, 'Lee');

    // Assess
    expect(question.body.text).toContain("Sam Ortiz");
    expect(question.body.text?.replace(/\s+/g, " ")).toMatch(/Or just one word: "(Ortiz|Lee)" or "(Ortiz|Lee)"/);
    const referral = await eventually(async () => {
      const [r] = await h.d.store.listReferrals({ groupId: h.group.id });
      return r?.status === 'logged' ? r : undefined;
    }, 'the referral logged for Sam Lee');
    expect(referral.providerId).toBe(h.ids[ownAddress('sam.lee@leephoto.example')]);
    expect(referral.prospect.name).toBe('Mei Chen');
  });

  it('a one-word answer that fits neither candidate gets help, and the draft waits', async () => {
    const h = await harbour();
    const raw = withOwnAddresses(readFileSync(join(dir, '05-ambiguous-provider.eml'), 'utf8'), rosterAddresses).replaceAll('{{LOG}}', h.log).replace(/Message-ID: <[^>]+>/, `Message-ID: <${newId()}@mail.gmail.example>`);
    const before = new Set((await emailsTo(ALICE)).map((e) => e.messageId));
    await sendSmtp(raw, { from: ALICE, to: [h.log] });
    const question = await eventually(async () => (await emailsTo(ALICE)).find((e) => !before.has(e.messageId) && e.body.text?.includes('Sam Lee')), 'the needs_info email');
    const seen = new Set((await emailsTo(ALICE)).map((e) => e.messageId));

    await reply(question, ALICE, 'Priya');

    await eventually(async () => (await emailsTo(ALICE)).find((e) => !seen.has(e.messageId)), 'the help email');
    const [r] = await h.d.store.listReferrals({ groupId: h.group.id });
    expect(r?.status).toBe('needs_info');
  });

  it('the web form finds a provider by trade or business: /refer?q=photographe', async () => {
    // Alice's address is in every test group; a unique admin signs in to this one.
    const admin = `admin-${newId(6)}@example.com`;
    const h = await harbour(admin);
    const alice = await new WebClient().signIn(admin);

    const byTrade = await alice.get('/refer?q=photographe');
    const byBusiness = await alice.get('/refer?q=ortiz+plumbing');

    expect(byTrade.status).toBe(200);
    expect(byTrade.text).toContain(`<option value="${h.ids[ownAddress('sam.lee@leephoto.example')]}" selected="">`);
    expect(byTrade.text).not.toContain(`<option value="${h.ids[ownAddress('sam@ortizplumbing.example')]}"`);
    expect(byBusiness.text).toContain(`<option value="${h.ids[ownAddress('sam@ortizplumbing.example')]}" selected="">`);
  });
});
