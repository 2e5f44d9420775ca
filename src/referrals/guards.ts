/**
 * The guard keys written in the same transaction as the change they protect (see Guard in
 * store/referral-store.ts). One place, so every way in names the same claim the same way.
 */
import { createHash } from 'node:crypto';

export const DUPLICATE_WINDOW_MS = 30 * 86_400_000;

/** The 30-day duplicate: one open referral per provider and prospect address. */
export const duplicateKey = (providerId: string, prospectEmail: string) => `dup:${providerId}:${prospectEmail.toLowerCase()}`;

/** A client's Idempotency-Key (already scoped to the caller by the route). */
export const idempotencyKey = (key: string) => `idem:${key}`;

/** A mail to a group's log address: the same Message-ID (or content hash) never logs twice. */
export const logMailKey = (groupId: string, messageIdOrHash: string) => `logmail:${groupId}:${messageIdOrHash}`;

/** A reply to one of our emails about a referral: handled once, however often it is delivered. */
export const replyKey = (referralId: string, messageIdOrHash: string) => `reply:${referralId}:${messageIdOrHash}`;

/** The same value with object keys in one order, so `{a,b}` and `{b,a}` hash alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

/** sha256 of a request body, so a repeated Idempotency-Key with another body is refused. */
export const bodyHash = (body: unknown) => createHash('sha256').update(JSON.stringify(canonical(body ?? null))).digest('hex');
