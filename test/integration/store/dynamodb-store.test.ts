import { describe, expect, it } from 'vitest';
import { ConflictError, StaleWriteError } from '../../../src/domain/errors.js';
import { newId } from '../../../src/domain/ids.js';
import type { Referral } from '../../../src/domain/types.js';
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

  it('rejects a stale referral write (no lost updates)', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const r = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    await d.store.createReferral(r);
    const first = await d.store.updateReferral({ ...r, status: 'contacted' });
    expect(first.version).toBe(2);
    await expect(d.store.updateReferral({ ...r, status: 'met' })).rejects.toBeInstanceOf(StaleWriteError);
    expect((await d.store.getReferral(r.id))?.status).toBe('contacted');
  });

  it('returns the first referral for a repeated idempotency key', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }]);
    const d = deps();
    const key = `k-${newId()}`;
    const a = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    const b = referral(g.group.id, g.admin.id, g.members['Priya Shah']!.id);
    expect((await d.store.createReferral(a, key)).created).toBe(true);
    const again = await d.store.createReferral(b, key);
    expect(again.created).toBe(false);
    expect(again.referral.id).toBe(a.id);
    expect(await d.store.getReferral(b.id)).toBeUndefined();
  });

  it('lists referrals by group, given and received', async () => {
    const g = await freshGroup([{ name: 'Priya Shah' }, { name: 'Tom Becker' }]);
    const d = deps();
    const priya = g.members['Priya Shah']!.id;
    const tom = g.members['Tom Becker']!.id;
    await d.store.createReferral(referral(g.group.id, priya, tom));
    await d.store.createReferral(referral(g.group.id, tom, priya));
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
