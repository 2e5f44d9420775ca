import { describe, expect, it } from 'vitest';
import type { Group } from '../../../src/domain/types.js';
import { PartyAndAdminActions } from '../../../src/web/pages/referrals.js';
import { london, member, ref } from '../reports/fixtures.js';

const render = async (node: unknown) => String(await node);
const group = { ...london, currency: 'GBP' } as unknown as Group;

describe('the actions of an admin who is also a party', () => {
  it('shows the role’s own actions first and the admin-only ones apart, each once', async () => {
    const ada = member('Ada', { role: 'admin' });
    const bob = member('Bob');
    const r = ref(ada, bob, '2026-06-01T10:00:00Z');
    const html = await render(<PartyAndAdminActions r={r} side="admin" group={group} members={new Map([ada, bob].map((m) => [m.id, m]))} memberId={ada.id} />);
    const own = html.indexOf('Your actions as the referrer');
    const admin = html.indexOf('Admin actions');
    expect(own).toBeGreaterThanOrEqual(0);
    expect(admin).toBeGreaterThan(own);
    expect(html.indexOf('Withdraw the referral')).toBeGreaterThan(own);
    expect(html.indexOf('Withdraw the referral')).toBeLessThan(admin);
    expect(html.indexOf('Reassign to another member')).toBeGreaterThan(admin);
    expect(html.match(/Withdraw the referral/g)).toHaveLength(1);
  });

  it('an admin who is not a party sees one admin list', async () => {
    const ada = member('Ada', { role: 'admin' });
    const bob = member('Bob');
    const cat = member('Cat');
    const html = await render(<PartyAndAdminActions r={ref(cat, bob, '2026-06-01T10:00:00Z')} side="admin" group={group} members={new Map([ada, bob, cat].map((m) => [m.id, m]))} memberId={ada.id} />);
    expect(html).toContain('Actions (admin)');
    expect(html).not.toContain('Your actions as');
  });
});
