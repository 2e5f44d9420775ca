/**
 * Issue 15 item 11 over real SMTP: a reply that changed something is confirmed in one line, `undo`
 * replied to that confirmation takes it back (the referrer, who was told, hears it was taken back),
 * and 16 minutes later `undo` is refused with an answer that says why.
 */
import { describe, expect, it } from 'vitest';
import { advanceClock, emailsTo, eventually, useOwnStack } from '../harness.js';
import { ALICE, PRIYA, emailOf, referralAlicePriya, reply } from './reply-helpers.js';

// Its own clock: the second case moves it 16 minutes.
useOwnStack('file');

const newMail = async (to: string, seen: Set<string>, match: RegExp, what: string) =>
  eventually(async () => (await emailsTo(to)).find((m) => !seen.has(m.messageId) && match.test(`${m.subject}\n${m.body.text}`)), what);
const ids = async (to: string) => new Set((await emailsTo(to)).map((m) => m.messageId));

describe('confirm and undo by reply', () => {
  it('`won` by mistake: confirmed, undone by replying undo, the referrer told, the steps back', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    await reply(notice, PRIYA, 'contacted');
    await eventually(async () => (await s.d.store.getReferral(s.id))!.status === 'contacted', 'contacted');
    const before = (await s.d.store.getReferral(s.id))!;
    const seenPriya = await ids(PRIYA);
    const seenAlice = await ids(ALICE);

    await reply(notice, PRIYA, 'won 4500');
    const confirmation = await newMail(PRIYA, seenPriya, /Marked won — thanks\. Reply undo within 15 minutes/, 'the confirmation');
    expect(confirmation.subject).toMatch(/^Marked won: Bob Stone/);
    expect(confirmation.body.text).toMatch(/^\s+undo\s+take back the change above/m);
    await reply(confirmation, PRIYA, 'undo');

    const undone = await eventually(async () => {
      const r = (await s.d.store.getReferral(s.id))!;
      return r.status === 'contacted' && r.timeline.some((e) => e.kind === 'undo') && r;
    }, 'the undo');
    expect(undone.wonAt).toBeUndefined();
    expect(undone.closedValue).toBeUndefined();
    expect(undone.pending.map((p) => p.kind).sort()).toEqual(before.pending.map((p) => p.kind).sort());
    await newMail(PRIYA, seenPriya, /Undone: marked won is taken back, and the referral is back to contacted\./, 'the undo confirmation');
    // Alice had the "won" milestone; an email cannot be unsent, so she is told it was taken back.
    const told = await newMail(ALICE, seenAlice, /An update was taken back/, 'the notice to Alice');
    expect(told.body.text?.replace(/\s+/g, ' ')).toMatch(/Priya Shah took back their last update on the referral of Bob Stone within minutes: Marked won was a mistake/);
  });

  it('`undo` 16 minutes later is refused, with the reason', async () => {
    const s = await referralAlicePriya();
    const notice = await emailOf(s.id, 'provider_notice', PRIYA);
    const seen = await ids(PRIYA);
    await reply(notice, PRIYA, 'contacted');
    const confirmation = await newMail(PRIYA, seen, /Marked contacted — thanks/, 'the confirmation');
    await advanceClock('PT16M');
    const seenAfter = await ids(PRIYA);

    await reply(confirmation, PRIYA, 'undo');

    const answer = await newMail(PRIYA, seenAfter, /15 minutes/, 'the refusal');
    expect(answer.body.text?.replace(/\s+/g, ' ')).toMatch(/Undo works for 15 minutes after a change; "Marked contacted" stays/);
    expect((await s.d.store.getReferral(s.id))!.status).toBe('contacted');
  });
});
