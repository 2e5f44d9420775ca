/**
 * Referral month end to end on the real stack: an admin starts it, the digest run sends every
 * active member a weekly ask (once per week) and the admins their summary; a reply
 * `refer Name <email> <need> for <member>` logs a referral, and a reply without a member is
 * answered with the members of the ask.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, formatIsoDate, localParts } from '../../../src/domain/zoned-time.js';
import { sendGroupDigests } from '../../../src/digest/send-digests.js';
import { parseMail } from '../../../src/inbound/parse-mail.js';
import { verifyReplyAddress } from '../../../src/mail/reply-token.js';
import { handleCampaignReply } from '../../../src/reports/campaign-reply.js';
import { clockNow, deps, emailsTo, eventually, freshGroup, inboundDomain, type StoredEmail } from '../harness.js';
import { reportApi } from './report-server.js';

type Group = Awaited<ReturnType<typeof freshGroup>>;
let g: Group;
const NAMES = ['Ann Able', 'Bob Baker', 'Cat Cole', 'Dan Dee', 'Sid Stopped'];
const isAsk = (e: StoredEmail) => e.subject.startsWith('Referral month in');

beforeAll(async () => {
  g = await freshGroup(NAMES.map((name) => ({ name, business: `${name.split(' ')[1]} Ltd`, profile: { goodReferral: `Someone who needs ${name.split(' ')[0]}'s help this spring.` } })));
  // Sid replied `stop` to an earlier email: no optional emails, campaigns included.
  const d = deps();
  const sid = (await d.store.getMember(g.members['Sid Stopped']!.id))!;
  await d.store.updateMember({ ...sid, optionalEmailsOff: true });
  const today = localParts(await clockNow(), 'Europe/London');
  const res = await reportApi('POST', '/api/campaigns', { key: g.admin.apiKey, body: { startsOn: formatIsoDate(today), endsOn: formatIsoDate(addCalendarDays(today, 27)) } });
  expect(res.status).toBe(201);
});

async function askTo(name: string): Promise<StoredEmail> {
  return eventually(async () => (await emailsTo(g.members[name]!.email)).find(isAsk), `the campaign ask to ${name}`);
}

describe('the weekly campaign ask and the admin summary', () => {
  it('asks every active member once a week about two or three others, with a signed Reply-To', async () => {
    // Act: the digest run, twice (a second delivery of the schedule)
    const first = await sendGroupDigests(deps(), g.group.id);
    const again = await sendGroupDigests(deps(), g.group.id);

    // Assess
    expect(first).toMatchObject({ campaignAsks: 5, adminSummaries: 1 }); // Ada Admin and four members
    expect(again).toMatchObject({ sent: 0, campaignAsks: 0, adminSummaries: 0 });
    for (const name of ['Ann Able', 'Bob Baker', 'Cat Cole', 'Dan Dee']) {
      const asks = (await emailsTo(g.members[name]!.email)).filter(isAsk);
      expect(asks, name).toHaveLength(1);
      const ask = asks[0]!;
      const token = verifyReplyAddress(ask.replyTo[0]!, deps().config.replyKeys, inboundDomain);
      expect(token).toEqual({ referralId: g.members[name]!.id, kind: 'campaign_ask', recipient: 'referrer' });
      const listed = NAMES.filter((n) => ask.body.text!.includes(`A good referral for ${n}`));
      expect(listed.length, name).toBeGreaterThanOrEqual(2);
      expect(listed).not.toContain(name);
      expect(ask.body.text).toContain('refer Name <email> what they need for <member>');
    }
    expect((await emailsTo(g.members['Sid Stopped']!.email)).filter(isAsk)).toHaveLength(0);
    const summaries = (await emailsTo(g.admin.email)).filter((e) => e.subject.startsWith(`Admin summary for ${g.group.name}`));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.body.text).toContain('What moved');
    // The digest's "Refer someone" button opens the referral form, not the list.
    const digest = (await emailsTo(g.members['Ann Able']!.email)).find((e) => e.subject.startsWith('Your week in'));
    expect(digest, 'the digest to Ann').toBeDefined();
    const base = deps().config.webBaseUrl.replace(/\/$/, '');
    expect(digest!.body.html).toMatch(new RegExp(`href="${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/refer"[^>]*>\\s*Refer someone`));
  });
});

describe('replying to the campaign ask', () => {
  // The asks exist whichever test runs first (the run is idempotent per ISO week).
  beforeAll(() => sendGroupDigests(deps(), g.group.id));
  let n = 0;
  async function reply(fromName: string, body: string, opts: { from?: string; messageId?: string } = {}) {
    const member = g.members[fromName]!;
    const ask = await askTo(fromName);
    const to = ask.replyTo[0]!;
    const messageId = opts.messageId ?? `<campaign-${g.tag}-${++n}@mail.example>`;
    const raw = [
      `From: ${fromName} <${opts.from ?? member.email}>`,
      `To: ${to}`,
      `Subject: Re: ${ask.subject}`,
      `Message-ID: ${messageId}`,
      'Date: Mon, 1 Jun 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
      'On Mon, 1 Jun 2026 at 08:00, Referral Relay wrote:',
      '> It is referral month.',
      '',
    ].join('\r\n');
    const token = verifyReplyAddress(to, deps().config.replyKeys, inboundDomain)!;
    return handleCampaignReply(deps(), await parseMail(raw), token);
  }

  it('logs the referral to the member named after "for"', async () => {
    // Prepare
    const prospect = `sam-${g.tag}@prospect.example`;

    // Act
    const outcome = await reply('Ann Able', `refer Sam Patel <${prospect}> needs a new website for Bob Baker`);

    // Assess
    expect(outcome).toBe('logged');
    const given = await deps().store.listReferrals({ givenBy: g.members['Ann Able']!.id });
    const logged = given.find((r) => r.prospect.email === prospect);
    expect(logged).toMatchObject({ providerId: g.members['Bob Baker']!.id, need: 'a new website', source: 'reply', consent: true, status: 'logged' });
    await eventually(async () => (await emailsTo(g.members['Bob Baker']!.email)).find((e) => e.subject.includes('New referral from Ann Able') && e.subject.includes('Sam Patel')), 'the provider notice to Bob');
  });

  it('does nothing for a second delivery of the same reply', async () => {
    const prospect = `tom-${g.tag}@prospect.example`;
    const messageId = `<dup-${g.tag}@mail.example>`;
    expect(await reply('Cat Cole', `refer Tom Two <${prospect}> needs a logo for Dan Dee`, { messageId })).toBe('logged');
    expect(await reply('Cat Cole', `refer Tom Two <${prospect}> needs a logo for Dan Dee`, { messageId })).toBe('ignored');
    const given = await deps().store.listReferrals({ givenBy: g.members['Cat Cole']!.id });
    expect(given.filter((r) => r.prospect.email === prospect)).toHaveLength(1);
  });

  it('answers a referral without a member with a help email listing the members of the ask', async () => {
    // Act
    const outcome = await reply('Dan Dee', `refer Una Known <una-${g.tag}@prospect.example> needs a logo`);

    // Assess
    expect(outcome).toBe('asked_for_provider');
    const help = await eventually(async () => (await emailsTo(g.members['Dan Dee']!.email)).find((e) => e.subject.startsWith('Which member is your referral for?')), 'the help email');
    expect(help.body.text).toContain('Which member is your referral of Una Known for?');
    const listed = NAMES.filter((name) => help.body.text!.includes(`A good referral for ${name}`));
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(verifyReplyAddress(help.replyTo[0]!, deps().config.replyKeys, inboundDomain)).toMatchObject({ referralId: g.members['Dan Dee']!.id, kind: 'campaign_ask' });
    expect((await deps().store.listReferrals({ givenBy: g.members['Dan Dee']!.id })).some((r) => r.prospect.name === 'Una Known')).toBe(false);
  });

  it('a robot answering our answers stops within a day: help and needs-a-provider answers share a daily allowance', async () => {
    const answers = async () => (await emailsTo(g.members['Bob Baker']!.email)).filter((e) => !isAsk(e)).length;
    const before = await answers();
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await reply('Bob Baker', 'help'));
    for (let i = 0; i < 4; i++) outcomes.push(await reply('Bob Baker', `refer Rob Ot <rob-${i}-${g.tag}@prospect.example> needs a loop`));
    expect(outcomes).toEqual([...Array(4).fill('help'), ...Array(4).fill('asked_for_provider')]);
    expect((await answers()) - before).toBe(3);
  });

  it('is not fooled by a reply from another address', async () => {
    const outcome = await reply('Bob Baker', `refer Eve Evil <eve-${g.tag}@prospect.example> needs money for Ann Able`, { from: `mallory-${g.tag}@evil.example` });
    expect(outcome).toBe('ignored');
    expect(await deps().store.listReferrals({ givenBy: g.members['Bob Baker']!.id })).toHaveLength(0);
  });
});
