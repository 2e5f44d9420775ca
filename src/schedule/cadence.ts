/**
 * A group's cadence: the delays of the timed emails, its business hours and its digest slot
 * (PRODUCT.md "What happens, and when"). Defaults and ranges here; the zod schemas that keep an
 * admin's changes sane are in `cadence-schema.ts`, so the timed steps do not bundle them.
 */
import type { CadenceSettings, Weekday } from '../domain/types.js';

/** A wall-clock time "HH:MM", 00:00–23:59. "24:00" is refused: end-of-day is "23:59" at most. */
export const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Minutes after local midnight of an "HH:MM" wall-clock time.
 * @throws RangeError when the text is not "HH:MM".
 */
export function clockToMinutes(clock: string): number {
  const minutes = clockToMinutesOrNaN(clock);
  if (Number.isNaN(minutes)) throw new RangeError(`Expected a time "HH:MM", got "${clock}"`);
  return minutes;
}

/** Minutes after local midnight of an "HH:MM" wall-clock time, or NaN when it is not one. */
export function clockToMinutesOrNaN(clock: string): number {
  const match = CLOCK_PATTERN.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

/**
 * The PRODUCT.md defaults. Frozen because it is shared: build a changed copy with
 * {@link applyCadencePatch} (or a spread) rather than editing it.
 */
export const DEFAULT_SETTINGS: CadenceSettings = Object.freeze({
  thankYouPromptMinutes: 60,
  introMinutes: 120,
  contactReminderHours: 24,
  escalationHours: 48,
  connectionCheckDays: 3,
  progressRequestDays: 7,
  maxProgressRequests: 6,
  dormantAfterDays: 7,
  experienceCheckDays: 2,
  needsInfoReminderDays: 2,
  needsInfoExpiryDays: 14,
  businessHours: Object.freeze({
    start: '08:00',
    end: '18:00',
    days: Object.freeze([1, 2, 3, 4, 5]) as Weekday[],
  }),
  digestDay: 1,
  digestHour: 8,
  anniversaryAsks: true,
});

/*
 * The ranges are generous but stop settings that would break the product: an intro that cannot be
 * stopped by `no intro` (at least 15 minutes), chases stacked on one day, or runaway reminders.
 */
/** Each numeric setting: what it is called in messages, its unit and its allowed range (forms use these too). */
export const CADENCE_NUMBER_RANGES = {
  thankYouPromptMinutes: { name: 'Thank-you prompt delay', unit: 'minutes', min: 0, max: 24 * 60 },
  introMinutes: { name: 'Introduction delay', unit: 'minutes', min: 15, max: 7 * 24 * 60 },
  contactReminderHours: { name: 'Contact reminder delay', unit: 'hours', min: 1, max: 14 * 24 },
  escalationHours: { name: 'Escalation delay', unit: 'hours', min: 2, max: 21 * 24 },
  connectionCheckDays: { name: 'Connection check delay', unit: 'days', min: 1, max: 30 },
  progressRequestDays: { name: 'Progress request interval', unit: 'days', min: 1, max: 60 },
  maxProgressRequests: { name: 'Progress requests without an answer', unit: 'requests', min: 1, max: 20 },
  dormantAfterDays: { name: 'Dormant delay', unit: 'days', min: 1, max: 60 },
  experienceCheckDays: { name: 'Experience check delay', unit: 'days', min: 0, max: 30 },
  needsInfoReminderDays: { name: 'Needs-info reminder delay', unit: 'days', min: 1, max: 30 },
  needsInfoExpiryDays: { name: 'Needs-info expiry', unit: 'days', min: 2, max: 90 },
  digestHour: { name: 'Digest hour', unit: 'hours', min: 0, max: 23 },
} as const;
