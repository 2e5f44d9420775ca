/** Builders for report tests: members and referrals with only what a test is about spelled out. */
import type { Group, Member, Referral } from '../../../src/domain/types.js';
import { DEFAULT_SETTINGS } from '../../../src/schedule/cadence.js';

export const london: Group = {
  id: 'gggggggggggggggg',
  name: 'Harbour Chapter',
  slug: 'harbour',
  timezone: 'Europe/London',
  currency: 'GBP',
  settings: structuredClone(DEFAULT_SETTINGS) as Group['settings'],
  createdAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

/** A member whose id is its name padded to 16 characters ("ann" → "ann0000000000000"). */
export function member(name: string, over: Partial<Member> = {}): Member {
  const id = name.toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(16, '0').slice(0, 16);
  return {
    id,
    groupId: london.id,
    name,
    email: `${id}@example.com`,
    extraAddresses: [],
    pendingExtraAddresses: [],
    profile: {},
    status: 'active',
    role: 'member',
    createdAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...over,
  };
}

let seq = 0;
const HOUR = 3_600_000;
const plusHours = (iso: string, h: number) => new Date(Date.parse(iso) + h * HOUR).toISOString();

/**
 * A referral from `from` to `to` logged at `createdAt`; `contactAfter`/`thankedAfter` in hours give
 * firstContactAt/thankedAt relative to it.
 */
export function ref(
  from: Member,
  to: Member | undefined,
  createdAt: string,
  over: Partial<Referral> & { contactAfter?: number; thankedAfter?: number } = {},
): Referral {
  const { contactAfter, thankedAfter, ...rest } = over;
  seq += 1;
  return {
    id: `ref${String(seq).padStart(13, '0')}`,
    groupId: london.id,
    status: 'logged',
    source: 'web',
    referrerId: from.id,
    providerId: to?.id,
    prospect: { name: `Prospect ${seq}`, email: `p${seq}@prospect.example` },
    need: 'something',
    consent: true,
    unansweredProgressRequests: 0,
    pending: [],
    stepSeq: 0,
    timeline: [],
    createdAt,
    updatedAt: createdAt,
    version: 1,
    ...(contactAfter !== undefined ? { firstContactAt: plusHours(createdAt, contactAfter) } : {}),
    ...(thankedAfter !== undefined ? { thankedAt: plusHours(createdAt, thankedAfter) } : {}),
    ...rest,
  };
}
