import { describe, expect, it } from 'vitest';
import { emailsTo, eventually, sendSmtp, withoutLinks } from '../harness.js';
import { ALICE, PRIYA, emailOf, fireStep, referralAlicePriya, reply } from './reply-helpers.js';


async function statusOf(s: Awaited<ReturnType<typeof referralAlicePriya>>, status: string) {
  return eventually(async () => {
    const r = (await s.d.store.getReferral(s.id))!;
    return r.status === status && r;
  }, `status ${status}`);
}

describe('acting by reply', () => {
  it('a provider runs a whole referral from the inbox; the referrer sees milestones without the amount', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'Called her this morning 👍');
    await statusOf(s, 'contacted');
    await reply(notice, PRIYA, 'Met with him yesterday, nice guy');
    await statusOf(s, 'met');
    await reply(notice, PRIYA, 'Thanks so much Alice, really appreciate you thinking of me');
    await eventually(async () => (await s.d.store.getReferral(s.id))!.timeline.some((e) => e.kind === 'thanks_relay'), 'thanks relayed');
    await reply(notice, PRIYA, 'We won it – £4,500');
    const won = await statusOf(s, 'won');
    expect(won.closedValue).toEqual({ amount: 4500, currency: 'GBP' });
    // The give-back nudge is optional: its real send carries the one-click unsubscribe and `stop`.
    const giveBack = await emailOf(s.id, 'give_back', PRIYA);
    expect(giveBack.body.text).toMatch(/Unsubscribe from these optional emails \(one click\): http\S+\/unsubscribe\/\S+/);
    expect(giveBack.body.html).toMatch(/href="http[^"]+\/unsubscribe\/[^"]+"/);
    expect(giveBack.body.text).toMatch(/\bstop\b/);
    const toAlice = (await emailsTo(ALICE)).filter((m) => m.subject.includes('Bob Stone'));
    const all = toAlice.map((m) => `${m.subject} ${m.body.text}`).join('\n');
    expect(all).toMatch(/really appreciate/);
    expect(withoutLinks(all)).not.toMatch(/\b4,?500\b/);
    // emailsTo waited for the outbox, so the milestone emails' events are stored by now
    const afterEmails = (await s.d.store.getReferral(s.id))!;
    expect(afterEmails.timeline.filter((e) => e.type === 'email' && e.kind === 'milestone')).toHaveLength(3);
    // nor in the referrer's view of the timeline (Alice is also the group admin here, so use the view directly)
    const { referralView } = await import('../../../src/referrals/view.js');
    const members = new Map((await s.d.store.listMembers(s.group.id)).map((m) => [m.id, m]));
    expect(withoutLinks(JSON.stringify(referralView(won, 'referrer', members)))).not.toMatch(/\b4,?500\b/);
    expect(JSON.stringify(referralView(won, 'provider', members))).toMatch(/4,?500/);
  });

  it('a spoofed sender is not acted on: kept privately, the intended recipient told once a day', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    const before = (await emailsTo(PRIYA)).length;
    await reply(notice, s.tom.email, 'won 100000');
    await eventually(async () => (await emailsTo(PRIYA)).length > before, 'the notice to Priya');
    const r = (await s.d.store.getReferral(s.id))!;
    expect(r.status).toBe('logged');
    expect(r.timeline.some((e) => e.privateText?.includes(s.tom.email))).toBe(true);
    await reply(notice, s.tom.email, 'won 200000');
    expect((await emailsTo(PRIYA)).length).toBe(before + 1);
  });

  it('a tampered token, or one moved to another referral, is dropped', async () => {
    const a = await referralAlicePriya();
    const b = await referralAlicePriya();
    const notice = await emailOf(a.id, 'provider_notice', PRIYA);
    const address = notice.replyTo[0]!;
    const local = address.split('@')[0]!;
    const flipped = local.slice(0, -1) + (local.endsWith('a') ? 'b' : 'a');
    const moved = local.replace(a.id, b.id);
    for (const to of [`${flipped}@relay.localhost`, `${moved}@relay.localhost`]) {
      await sendSmtp(`From: ${PRIYA}\r\nTo: ${to}\r\nSubject: Re\r\nMessage-ID: <${Math.random()}@x>\r\n\r\nwon 5000\r\n`, { from: PRIYA, to: [to] });
    }
    expect((await a.d.store.getReferral(a.id))!.status).toBe('logged');
    expect((await b.d.store.getReferral(b.id))!.status).toBe('logged');
  });

  it('out-of-office auto-replies are never answered nor parsed', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    const before = (await emailsTo(PRIYA)).length;
    await reply(notice, PRIYA, 'I am out of the office until Monday. Won’t be checking mail.', { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' });
    expect((await emailsTo(PRIYA)).length).toBe(before);
    const r = (await s.d.store.getReferral(s.id))!;
    expect(r.status).toBe('logged');
    expect(r.timeline.filter((e) => e.type === 'note')).toEqual([]);
  });

  it('pass naming a member → the referrer is offered a re-referral; `ok` logs it', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'pass - Tom Becker is much better placed for this');
    const passed = await statusOf(s, 'passed');
    expect(passed.passSuggestionId).toBe(s.tom.id);
    const offer = await emailOf(s.id, 'relay', ALICE);
    expect(offer.body.text).toMatch(/Tom Becker/);
    expect(offer.body.text).toMatch(/has passed on/);
    // One email about the pass, not a milestone as well.
    const aboutPass = (await s.d.store.getReferral(s.id))!.timeline.filter((e) => e.type === 'email' && e.to === ALICE && (e.kind === 'milestone' || e.kind === 'relay'));
    expect(aboutPass.map((e) => e.kind)).toEqual(['relay']);
    await reply(offer, ALICE, 'ok');
    const again = await eventually(async () => (await s.d.store.listReferrals({ receivedBy: s.tom.id }))[0], 'the re-referral');
    expect(again.prospect.email).toBe(s.prospectEmail);
    expect(again.referrerId).toBe(s.alice.id);
  });

  it('give-back: `refer Name <email> <need>` logs a referral to the referrer', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'won');
    await statusOf(s, 'won');
    const nudge = await emailOf(s.id, 'give_back', PRIYA);
    await reply(nudge, PRIYA, `refer Jane Doe <jane-${s.tag}@doe.example> needs a lease reviewed for her new cafe`);
    const back = await eventually(async () => (await s.d.store.listReferrals({ receivedBy: s.alice.id }))[0], 'the give-back referral');
    expect(back).toMatchObject({ referrerId: s.priya.id, providerId: s.alice.id, consent: true, source: 'reply' });
    expect(back.prospect).toMatchObject({ name: 'Jane Doe', email: `jane-${s.tag}@doe.example` });
    expect(back.need).toMatch(/lease/);
  });

  it('ask relays a question between referrer and provider', async () => {
    const s = await referralAlicePriya();
    const receipt = await emailOf(s.id, 'receipt', ALICE);
    await reply(receipt, ALICE, 'ask did you manage to reach him yet?');
    const relayed = await emailOf(s.id, 'relay', PRIYA);
    expect(relayed.body.text).toMatch(/reach him yet/);
  });

  it('the referrer cancels by reply: withdrawn, the provider told, nothing more is sent', async () => {
    const s = await referralAlicePriya();
    const receipt = await emailOf(s.id, 'receipt', ALICE);
    await reply(receipt, ALICE, 'cancel - he found someone already');
    const r = await statusOf(s, 'withdrawn');
    expect(r.pending).toEqual([]);
    await emailOf(s.id, 'notice', PRIYA);
  });

  it('the prospect: yes moves logged to contacted; a low rating alerts both; stop withdraws and suppresses', async () => {
    const s = await referralAlicePriya();
    await fireStep(s.id, 'intro');
    await fireStep(s.id, 'connection_check');
    const check = await emailOf(s.id, 'connection_check', s.prospectEmail);
    await reply(check, s.prospectEmail, 'Yes she called on Tuesday');
    await statusOf(s, 'contacted');
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'lost unfortunately, went with a cheaper quote');
    await statusOf(s, 'lost');
    await fireStep(s.id, 'experience_check');
    const experience = await emailOf(s.id, 'experience_check', s.prospectEmail);
    await reply(experience, s.prospectEmail, '2 - took ages to get back to me');
    await eventually(async () => (await s.d.store.getReferral(s.id))!.timeline.filter((e) => e.kind === 'alert').length === 2, 'two alerts');
    await reply(experience, s.prospectEmail, 'stop');
    await eventually(async () => s.d.store.isSuppressed(s.prospectEmail, s.group.id), 'suppressed in the group');
    expect(await s.d.store.isSuppressed(s.prospectEmail)).toBe(false);
  });

  it('the prospect says no: provider and referrer are alerted', async () => {
    const s = await referralAlicePriya();
    await fireStep(s.id, 'intro');
    await fireStep(s.id, 'connection_check');
    const check = await emailOf(s.id, 'connection_check', s.prospectEmail);
    await reply(check, s.prospectEmail, 'No, nobody has called me');
    await emailOf(s.id, 'alert', PRIYA);
    await emailOf(s.id, 'alert', ALICE);
  });

  it('help always answers with the valid commands; a member `stop` ends optional emails only', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'help');
    const help = await emailOf(s.id, 'help', PRIYA);
    expect(help.body.text).toContain('Here is what you can reply about Bob Stone:');
    expect(help.body.text).not.toMatch(/could not match/);
    expect(help.body.text).toMatch(/contacted/);
    expect(help.body.text).toMatch(/lost/);
    await reply(notice, PRIYA, 'stop');
    await eventually(async () => (await s.d.store.getMember(s.priya.id))!.optionalEmailsOff === true, 'optional emails off');
    expect((await s.d.store.getReferral(s.id))!.status).toBe('logged');
  });

  it('a command that cannot be done says what was understood and why nothing changed, in our words', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'lost they went elsewhere');
    await statusOf(s, 'lost');
    await reply(notice, PRIYA, 'snooze 2 weeks');
    const help = await emailOf(s.id, 'help', PRIYA);
    expect(help.body.text).toContain('We understood "snooze", but nothing changed: This referral is closed; there is nothing to snooze.');
    expect(help.body.text).toContain('> snooze 2 weeks');
    expect(help.body.text).not.toMatch(/could not match|That could not be done|> .*nothing to snooze/);
  });

  it('explicit help is answered a few times a day, not without end (two robots cannot loop)', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    for (let i = 0; i < 5; i++) await reply(notice, PRIYA, 'help');
    const helps = async () => (await s.d.store.getReferral(s.id))!.timeline.filter((e) => e.type === 'email' && e.kind === 'help').length;
    await eventually(async () => (await helps()) === 3, 'three help answers');
    // A sixth "help" after the others were all handled still gets nothing today.
    await reply(notice, PRIYA, 'help please');
    await reply(notice, PRIYA, 'stop');
    await eventually(async () => (await s.d.store.getMember(s.priya.id))!.optionalEmailsOff === true, 'the later stop handled');
    expect(await helps()).toBe(3);
    expect((await s.d.store.getReferral(s.id))!.status).toBe('logged');
  });
});
