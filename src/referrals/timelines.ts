import type { Referral, TimelineEvent } from '../domain/types.js';
import type { ReferralStore } from '../store/referral-store.js';
import { eachLimited } from '../domain/each-limited.js';

/** Every event of one referral, page by page. */
export async function fullTimeline(store: Pick<ReferralStore, 'getTimeline'>, referralId: string): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  let after: string | undefined;
  do {
    const page = await store.getTimeline(referralId, { limit: 500, after });
    events.push(...page.events);
    after = page.next;
  } while (after);
  return events;
}

/**
 * Lists hold states only (events are items of their own); reports that read history load it here,
 * a few referrals at a time. A referral still in the old shape already carries its timeline.
 */
export async function withTimelines(store: Pick<ReferralStore, 'getTimeline'>, referrals: Referral[], concurrency = 8): Promise<Referral[]> {
  const out: Referral[] = [...referrals];
  await eachLimited(referrals, concurrency, async (r, i) => {
    if (r.timeline.length === 0) out[i] = { ...r, timeline: await fullTimeline(store, r.id) };
  });
  return out;
}
