import type { Referral } from '../domain/types.js';
import type { RelayDeps } from './deps.js';
import { isFinal } from './decide-action.js';
import { DUPLICATE_WINDOW_MS } from './guards.js';
import { duplicateGuard } from './log-referral.js';

/**
 * `relay migrate`: data written by the one-item layout (each referral holding its whole timeline)
 * moves to the current one (events as items of their own). Referrals logged in the last 30 days and
 * still open get the duplicate key the old version checked by reading lists. Safe to run again, and
 * to stop half-way: referrals not moved yet are moved by the next run (or on their next change).
 */
export async function migrate(deps: RelayDeps): Promise<{ scanned: number; migrated: number; duplicateKeys: number }> {
  const now = deps.clock.now();
  const duplicateKeyOf = (r: Referral) => {
    const createdAt = Date.parse(r.createdAt);
    if (isFinal(r.status) || r.status === 'needs_info' || !(createdAt + DUPLICATE_WINDOW_MS > now.getTime())) return undefined;
    // Held for the rest of the referral's own 30 days, as the old check counted them.
    const [guard] = duplicateGuard(r.id, r.providerId, r.prospect.email, new Date(createdAt));
    return guard && { ...guard, data: { referralId: r.id, createdAt: r.createdAt } };
  };
  return deps.store.migrateLegacyReferrals(now, duplicateKeyOf);
}
