import type { Group, Referral } from '../../../src/domain/types.js';
import { DEFAULT_SETTINGS } from '../../../src/schedule/cadence.js';

export const group: Group = {
  id: 'gggggggggggggggg', name: 'Harbour Chapter', slug: 'harbour', timezone: 'Europe/London', currency: 'GBP',
  settings: structuredClone(DEFAULT_SETTINGS) as Group['settings'], createdAt: '2026-01-01T00:00:00.000Z', version: 1,
};

export function referral(over: Partial<Referral> = {}): Referral {
  return {
    id: 'rrrrrrrrrrrrrrrr', groupId: group.id, status: 'logged', source: 'web', referrerId: 'referrer00000000', providerId: 'provider00000000',
    prospect: { name: 'Bob Stone', email: 'bob@stonebakery.example' }, need: 'a bookkeeper', consent: true,
    unansweredProgressRequests: 0, pending: [], stepSeq: 0, timeline: [], createdAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z', version: 1, ...over,
  };
}

/** Monday 2 March 2026, 10:00 London (GMT). */
export const monday10 = new Date('2026-03-02T10:00:00.000Z');
