import { describe, expect, it } from 'vitest';
import { ConflictError, StaleWriteError } from '../../../src/domain/errors.js';
import { newId } from '../../../src/domain/ids.js';
import type { Referral } from '../../../src/domain/types.js';
import { GuardTakenError } from '../../../src/store/referral-store.js';
import { deps, freshGroup, useOwnStack } from '../harness.js';

function referral(groupId: string, referrerId: string, providerId: string, over: Partial<Referral> = {}): Referral {
  const at = new Date().toISOString();
  return {
    id: newId(), groupId, status: 'logged', source: 'api', referrerId, providerId,
    prospect: { name: 'Bob Stone', email: `bob-${newId(6)}@stonebakery.example` }, need: 'bookkeeping', consent: true,
    unansweredProgressRequests: 0, pending: [], stepSeq: 0, timeline: [], createdAt: at, updatedAt: at, version: 1, ...over,
  };
}

// A table of its own: the due-step listing must not page through the steps other files planned
// (the fuzz file alone plans over a thousand, which pushed these two out of the first page in CI).
useOwnStack('file');

describe('DynamoDB store against DynamoDB Local', () => {
  it('keeps member emails unique per group, and finds members by primary or extra address', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const { addMember, updateMember } = await import('../../../src/members/members.js');
    await expect(addMember(d, g.group.id, { name: 'Other Priya', email: g.members['Priya Shah']!.email.toUpperCase() })).rejects.toBeInstanceOf(ConflictError);
    const { member } = await updateMember(d, g.members['Priya Shah']!.id, { extraAddresses: ['priya.alt@mailbox.example'] }, { isAdmin: true });
    expect(member.extraAddresses).toEqual(['priya.alt@mailbox.example']);
    expect((await d.store.findMemberByAddress(g.group.id, 'PRIYA.ALT@mailbox.example'))?.id).toBe(member.id);
    // the address is claimed: nobody else in the group can take it
    await expect(addMember(d, g.group.id, { name: 'X', email: 'priya.alt@mailbox.example' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('reads the suppression of many addresses at once: everywhere, for one group, and past 100 keys', async () => {
    const d = deps();
    const tag = newId(6);
    const at = new Date();
    const address = (i: number) => `member${i}-${tag}@suppress.example`;
    await d.store.suppress(address(1), 'bounce', at);
    await d.store.suppress(address(2).toUpperCase(), 'stop', at, 'group-a');
    await d.store.suppress(address(3), 'stop', at, 'group-b');
    await d.store.suppress(address(150), 'complaint', at);
    // 160 addresses with a group: 320 keys, read in batches of 100
    const many = Array.from({ length: 160 }, (_, i) => (i === 2 ? address(i).toUpperCase() : address(i)));
    expect([...(await d.store.suppressedAmong(many, 'group-a'))].sort()).toEqual([address(1), address(150), address(2)].sort());
    expect([...(await d.store.suppressedAmong(many))].sort()).toEqual([address(1), address(150)].sort());
    expect(await d.store.suppressedAmong([], 'group-a')).toEqual(new Set());
    // the same answers as the one-address read
    for (const i of [1, 2, 3, 4]) expect(await d.store.isSuppressed(address(i), 'group-a')).toBe([1, 2].includes(i));
  });

  it('rejects a stale referral write (no lost updates)', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const r = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    const now = new Date();
    const created = await d.store.commitReferral({ expectedVersion: 0, state: r, events: [], emails: [], guards: [], now });
    expect(created.version).toBe(1);
    const first = await d.store.commitReferral({ expectedVersion: 1, state: { ...created, status: 'contacted' }, events: [], emails: [], guards: [], now });
    expect(first.version).toBe(2);
    await expect(d.store.commitReferral({ expectedVersion: 1, state: { ...created, status: 'met' }, events: [], emails: [], guards: [], now })).rejects.toBeInstanceOf(StaleWriteError);
    expect((await d.store.getReferral(r.id))?.status).toBe('contacted');
  });

  it('a guard taken by one change refuses the next, and the refused change writes nothing', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const key = `k-${newId()}`;
    const now = new Date();
    const a = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    const b = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    const event = { at: now.toISOString(), type: 'created' as const, via: 'api' as const, actor: g.admin.id, text: 'logged' };
    await d.store.commitReferral({ expectedVersion: 0, state: a, events: [event], emails: [], guards: [{ key, data: { referralId: a.id } }], now });
    await expect(d.store.commitReferral({ expectedVersion: 0, state: b, events: [event], emails: [], guards: [{ key, data: { referralId: b.id } }], now })).rejects.toBeInstanceOf(GuardTakenError);
    expect(await d.store.getReferral(b.id)).toBeUndefined();
    expect((await d.store.getTimeline(b.id)).events).toEqual([]);
    expect((await d.store.getGuard(key, now))?.referralId).toBe(a.id);
    // an expired guard is free again
    const later = new Date(now.getTime() + 2 * 86_400_000);
    const c = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    const ttlKey = `t-${newId()}`;
    await d.store.commitReferral({ expectedVersion: 0, state: c, events: [], emails: [], guards: [{ key: ttlKey, expiresAt: new Date(now.getTime() + 86_400_000) }], now });
    const e = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    await expect(d.store.commitReferral({ expectedVersion: 0, state: e, events: [], emails: [], guards: [{ key: ttlKey, expiresAt: new Date(later.getTime() + 86_400_000) }], now: later })).resolves.toMatchObject({ id: e.id });
  });

  it('keeps events as items of their own, in order, paged', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const r = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    const now = new Date();
    const ev = (i: number) => ({ at: now.toISOString(), type: 'note' as const, via: 'api' as const, actor: g.admin.id, text: `note ${i}` });
    let state = await d.store.commitReferral({ expectedVersion: 0, state: r, events: [ev(0)], emails: [], guards: [], now });
    for (let i = 1; i < 12; i++) state = await d.store.commitReferral({ expectedVersion: state.version, state, events: [ev(i)], emails: [], guards: [], now });
    expect(state.eventSeq).toBe(12);
    const first = await d.store.getTimeline(r.id, { limit: 5 });
    expect(first.events.map((e) => e.text)).toEqual(['note 0', 'note 1', 'note 2', 'note 3', 'note 4']);
    const second = await d.store.getTimeline(r.id, { limit: 5, after: first.next });
    expect(second.events.map((e) => e.text)).toEqual(['note 5', 'note 6', 'note 7', 'note 8', 'note 9']);
    expect((await d.store.getReferral(r.id))!.timeline).toHaveLength(12);
    // the state item itself holds no timeline
    expect((await d.store.getReferralState(r.id))!.timeline).toEqual([]);
  });

  it('lists referrals by group, given and received', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const d = deps();
    const priya = g.members['Priya Shah']!.id;
    const tom = g.members['Tom Becker']!.id;
    const now = new Date();
    await d.store.commitReferral({ expectedVersion: 0, state: referral(g.group.id, priya, tom), events: [], emails: [], guards: [], now });
    await d.store.commitReferral({ expectedVersion: 0, state: referral(g.group.id, tom, priya), events: [], emails: [], guards: [], now });
    expect((await d.store.listReferrals({ groupId: g.group.id })).length).toBe(2);
    expect((await d.store.listReferrals({ givenBy: priya })).map((r) => r.providerId)).toEqual([tom]);
    expect((await d.store.listReferrals({ receivedBy: priya })).map((r) => r.referrerId)).toEqual([tom]);
  });

  it('claims once, and a claim expires on the given clock', async () => {
    const d = deps();
    const key = `t-${newId()}`;
    const now = new Date();
    expect(await d.store.claimOnce(key, new Date(now.getTime() + 60_000), now)).toBe(true);
    expect(await d.store.claimOnce(key, new Date(now.getTime() + 60_000), now)).toBe(false);
    expect(await d.store.claimOnce(key, new Date(now.getTime() + 120_000), new Date(now.getTime() + 61_000))).toBe(true);
  });

  it('single-use tokens: taken once, refused when expired', async () => {
    const d = deps();
    const now = new Date();
    await d.store.putToken(`h-${newId()}`, { a: '1' }, new Date(now.getTime() + 1000));
    const hash = `h-${newId()}`;
    await d.store.putToken(hash, { purpose: 'signin', memberId: 'm' }, new Date(now.getTime() + 15 * 60_000));
    expect(await d.store.takeToken(hash, now)).toEqual({ purpose: 'signin', memberId: 'm' });
    expect(await d.store.takeToken(hash, now)).toBeUndefined();
    const late = `h-${newId()}`;
    await d.store.putToken(late, { purpose: 'signin' }, new Date(now.getTime() + 60_000));
    expect(await d.store.takeToken(late, new Date(now.getTime() + 61_000))).toBeUndefined();
  });

  it('keeps pending steps ordered by due time', async () => {
    const d = deps();
    const rid = newId();
    const far = new Date('2099-01-01T00:00:00Z');
    await d.store.putStep({ stepId: `${rid}.intro.2`, referralId: rid, kind: 'intro', due: '2099-01-01T00:00:02.000Z' });
    await d.store.putStep({ stepId: `${rid}.intro.1`, referralId: rid, kind: 'intro', due: '2099-01-01T00:00:01.000Z' });
    const due = (await d.store.listDueSteps(new Date(far.getTime() + 5000), 1000)).filter((s) => s.referralId === rid);
    expect(due.map((s) => s.stepId)).toEqual([`${rid}.intro.1`, `${rid}.intro.2`]);
    await d.store.deleteStep(`${rid}.intro.1`);
    await d.store.deleteStep(`${rid}.intro.2`);
  });
});
