/** Small numeric helpers shared by the reports. Pure. */
import type { Money, Referral } from '../domain/types.js';

/**
 * The q-quantile (0..1) by linear interpolation between closest ranks (the "type 7" rule of R and
 * numpy): the median of [1, 2, 3, 4] is 2.5, its p90 is 3.7. Undefined for no values.
 */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (pos - lower);
}

/** One decimal place, for hours and shares shown to people; null stays null. */
export const round1 = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : Math.round(n * 10) / 10);
/** Two decimal places (shares, conversion); null stays null. */
export const round2 = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : Math.round(n * 100) / 100);

export const HOUR_MS = 3_600_000;

/** Hours from logging to first contact, when there was one. */
export function hoursToFirstContact(r: Referral): number | undefined {
  if (!r.firstContactAt) return undefined;
  const ms = Date.parse(r.firstContactAt) - Date.parse(r.createdAt);
  return Number.isFinite(ms) ? Math.max(0, ms) / HOUR_MS : undefined;
}

/** Thanked at most 24 hours after logging. */
export function thankedWithinDay(r: Referral): boolean {
  if (!r.thankedAt) return false;
  return Date.parse(r.thankedAt) - Date.parse(r.createdAt) <= 24 * HOUR_MS;
}

/**
 * Sums of money per currency, largest-first currencies sorted by code so the output is stable.
 * Amounts are added in minor units (cents) so 0.1 + 0.2 stays 0.30.
 */
export class MoneyTally {
  private readonly cents = new Map<string, number>();

  add(value: Money | undefined): void {
    if (!value || !Number.isFinite(value.amount)) return;
    const currency = value.currency.toUpperCase();
    this.cents.set(currency, (this.cents.get(currency) ?? 0) + Math.round(value.amount * 100));
  }

  list(): Money[] {
    return [...this.cents.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ amount: cents / 100, currency }));
  }
}

/** A referral counts in reports once it has a provider: a needs-info draft is not a referral yet. */
export const countsInReports = (r: Referral): boolean => !!r.providerId && r.status !== 'needs_info';
