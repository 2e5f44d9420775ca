/**
 * When a timed email is due (PRODUCT.md "What happens, and when"): calendar delays from an event,
 * then moved forward into the group's business hours in its own timezone, DST-aware.
 *
 * All wall-clock maths happens in the group's IANA timezone (../domain/zoned-time.ts); the inputs and
 * results are plain instants (`Date`).
 */
import type { CadenceSettings, StepKind, Weekday } from '../domain/types.js';
import { addCalendarDays, addLocalDays, addLocalMonths, instantsAtWallTime, isoWeekday, isValidTimeZone, localIsoDate, localParts, type CalendarDate, type LocalParts } from '../domain/zoned-time.js';
import { clockToMinutes } from './cadence.js';

/** A group's business hours: "HH:MM" start and end (end exclusive) on the listed ISO weekdays. */
export type BusinessHours = CadenceSettings['businessHours'];

/** Thrown for a timezone name the runtime's IANA database does not know. */
export class InvalidTimeZoneError extends Error {
  constructor(readonly timezone: string) {
    super(`Unknown IANA timezone "${timezone}"`);
    this.name = 'InvalidTimeZoneError';
  }
}

/** Thrown for business hours that have no slot at all (no days, or start not before end). */
export class InvalidBusinessHoursError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBusinessHoursError';
  }
}

const MINUTE_MS = 60_000;
// A valid setting always finds a slot within 7 days; the slack covers a start lost in a DST gap.
const MAX_DAYS_SEARCHED = 15;

interface ParsedHours {
  startMinute: number;
  endMinute: number;
  days: ReadonlySet<number>;
}

/** A zone name the runtime knows (checked once per call, so the helpers below can rely on it). */
type Zone = string;

function zoneOf(tz: string): Zone {
  if (!isValidTimeZone(tz)) throw new InvalidTimeZoneError(tz);
  return tz;
}

function parseHours(hours: BusinessHours): ParsedHours {
  const startMinute = clockToMinutes(hours.start);
  const endMinute = clockToMinutes(hours.end);
  if (startMinute >= endMinute) {
    throw new InvalidBusinessHoursError(`Business hours start ${hours.start} is not before end ${hours.end}`);
  }
  const days = new Set<number>(hours.days.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (days.size === 0) throw new InvalidBusinessHoursError('Business hours list no weekday (1–7)');
  return { startMinute, endMinute, days };
}

function millisOf(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

function isInside(dt: LocalParts, hours: ParsedHours): boolean {
  const minute = dt.hour * 60 + dt.minute;
  return hours.days.has(dt.weekday) && minute >= hours.startMinute && minute < hours.endMinute;
}

/** A calendar date with no zone, used to walk day by day without DST surprises. */
function calendarDate(dt: LocalParts): CalendarDate {
  return { year: dt.year, month: dt.month, day: dt.day };
}

/**
 * The earliest instant ≥ `notBefore` at which business starts on `date`, or undefined when that
 * day has none left. A start inside a spring-forward gap becomes the end of the gap.
 */
function businessStartOn(zone: Zone, hours: ParsedHours, date: CalendarDate, notBefore: number): number | undefined {
  return instantsAtWallTime(zone, date, hours.startMinute).find((t) => t >= notBefore && isInside(localParts(t, zone), hours));
}

/** The first business start on `fromDate` or a later day that is ≥ `notBefore`. */
function firstBusinessStart(zone: Zone, hours: ParsedHours, fromDate: CalendarDate, notBefore: number): number {
  let date = fromDate;
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
    if (hours.days.has(isoWeekday(date))) {
      const start = businessStartOn(zone, hours, date, notBefore);
      if (start !== undefined) return start;
    }
    date = addCalendarDays(date, 1);
  }
  // Only reachable with hours so short that every start falls in a DST gap.
  throw new InvalidBusinessHoursError('No business-hours slot found within two weeks');
}

/**
 * Whether `at` is inside business hours in `tz`: a listed weekday, local time ≥ start and < end.
 * @throws InvalidTimeZoneError, InvalidBusinessHoursError
 */
export function isWithinBusinessHours(at: Date, tz: string, hours: BusinessHours): boolean {
  return isInside(localParts(millisOf(at), zoneOf(tz)), parseHours(hours));
}

/**
 * Moves an instant forward into the group's business hours (PRODUCT.md, emails marked *b.h.*):
 * inside → unchanged; before the start of a business day → that day's start; at or after the end,
 * or on a non-business day → the next business day's start. Never earlier than `at`.
 * @param tz the group's IANA timezone, e.g. "Europe/London"
 * @throws InvalidTimeZoneError, InvalidBusinessHoursError
 */
export function snapToBusinessHours(at: Date, tz: string, hours: BusinessHours): Date {
  const zone = zoneOf(tz);
  const parsed = parseHours(hours);
  const ms = millisOf(at);
  const here = localParts(ms, zone);
  if (isInside(here, parsed)) return new Date(ms);
  return new Date(firstBusinessStart(zone, parsed, calendarDate(here), ms));
}

/**
 * The start of the first business day after the local calendar day of `at` (never the same day,
 * even when `at` is before that day's start): "moves to the next business day".
 * @throws InvalidTimeZoneError, InvalidBusinessHoursError
 */
export function nextBusinessDayStart(at: Date, tz: string, hours: BusinessHours): Date {
  const zone = zoneOf(tz);
  const ms = millisOf(at);
  return new Date(firstBusinessStart(zone, parseHours(hours), addCalendarDays(calendarDate(localParts(ms, zone)), 1), ms));
}

/**
 * Chase emails: the reminders of one referral that must not share a slot
 * (PRODUCT.md: "Two chase emails of one referral never land in the same slot").
 * They are the *b.h.* steps that chase a party while the referral is open; the intro is the event
 * they count from and the experience check comes after the chasing has ended.
 */
export const CHASE_STEP_KINDS: readonly StepKind[] = ['contact_reminder', 'escalation', 'connection_check', 'progress_request'];

/** Whether a step kind is a chase email (see {@link CHASE_STEP_KINDS}). */
export function isChaseStep(kind: StepKind): boolean {
  return CHASE_STEP_KINDS.includes(kind);
}

function localDateKey(ms: number, zone: Zone): string {
  return localIsoDate(ms, zone);
}

/**
 * Keeps two chase emails of one referral out of the same slot. A slot is one calendar day in the
 * group's timezone: the recipient sees at most one chase a day, whatever the hours. The candidate
 * (the step being scheduled now; the others are already planned) is snapped into business hours and,
 * while its day holds another due, moved to the next business day's start.
 * @param otherDues the due times of the referral's other pending chase steps
 * @throws InvalidTimeZoneError, InvalidBusinessHoursError
 */
export function separateChaseSlots(candidate: Date, otherDues: readonly Date[], tz: string, hours: BusinessHours): Date {
  const zone = zoneOf(tz);
  const taken = new Set(otherDues.map((due) => localDateKey(millisOf(due), zone)));
  let due = snapToBusinessHours(candidate, tz, hours);
  // Each pass moves to a later day, so this ends after at most otherDues.length moves.
  while (taken.has(localDateKey(due.getTime(), zone))) due = nextBusinessDayStart(due, tz, hours);
  return due;
}

/** A delay from an event. Months and days are calendar months and days in the group timezone; hours and minutes are elapsed time. */
export interface Delay {
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
}

/** How each timed step is placed: what it counts from, how long after, and whether it waits for business hours. */
export interface StepTiming {
  /** The event the delay counts from, for the caller choosing `anchor`. */
  anchor: 'logging' | 'intro' | 'last_progress_or_provider_update' | 'won_or_lost' | 'needs_info' | 'won';
  businessHours: boolean;
  delay(settings: CadenceSettings): Delay;
}

/** PRODUCT.md's table, as data. */
export const STEP_TIMING: Readonly<Record<StepKind, StepTiming>> = {
  thank_you_prompt: { anchor: 'logging', businessHours: false, delay: (s) => ({ minutes: s.thankYouPromptMinutes }) },
  intro: { anchor: 'logging', businessHours: true, delay: (s) => ({ minutes: s.introMinutes }) },
  contact_reminder: { anchor: 'intro', businessHours: true, delay: (s) => ({ hours: s.contactReminderHours }) },
  escalation: { anchor: 'intro', businessHours: true, delay: (s) => ({ hours: s.escalationHours }) },
  connection_check: { anchor: 'intro', businessHours: true, delay: (s) => ({ days: s.connectionCheckDays }) },
  progress_request: {
    anchor: 'last_progress_or_provider_update',
    businessHours: true,
    delay: (s) => ({ days: s.progressRequestDays }),
  },
  experience_check: { anchor: 'won_or_lost', businessHours: true, delay: (s) => ({ days: s.experienceCheckDays }) },
  needs_info_reminder: { anchor: 'needs_info', businessHours: false, delay: (s) => ({ days: s.needsInfoReminderDays }) },
  needs_info_expiry: { anchor: 'needs_info', businessHours: false, delay: (s) => ({ days: s.needsInfoExpiryDays }) },
  // Each later anniversary is planned from the won date with its own number of months (no drift).
  anniversary: { anchor: 'won', businessHours: true, delay: () => ({ months: 12 }) },
};

/** Options of {@link dueFor}. */
export interface DueOptions {
  /** Replaces the configured delay, e.g. `snooze 2 weeks` → `{ days: 14 }` from now. */
  delay?: Delay;
  /**
   * Due times of the referral's other pending chase steps. Given for a chase kind, the result is
   * moved off their days ({@link separateChaseSlots}); ignored for other kinds.
   */
  otherChaseDues?: readonly Date[];
  /**
   * Due times this step must not share a day with, whatever its kind (two questions to the prospect,
   * such as the connection check and the experience check, never arrive together).
   */
  keepApartFrom?: readonly Date[];
}

/**
 * Adds a delay in the group timezone: days keep the wall-clock time across a DST change
 * ("intro + 3 days" at 14:00 is 14:00), hours and minutes are elapsed time ("+ 24 h" is 24 h).
 * @throws InvalidTimeZoneError, RangeError for a negative or non-finite part
 */
export function addDelay(anchor: Date, delay: Delay, tz: string): Date {
  for (const [unit, value] of Object.entries(delay)) {
    // A negative delay would schedule into the past and skip the business-hours promise.
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`Delay ${unit} must be a finite number ≥ 0, got ${String(value)}`);
    }
  }
  const zone = zoneOf(tz);
  const months = delay.months ? addLocalMonths(millisOf(anchor), zone, delay.months) : millisOf(anchor);
  const shifted = addLocalDays(months, zone, delay.days ?? 0) + (delay.hours ?? 0) * 60 * MINUTE_MS + (delay.minutes ?? 0) * MINUTE_MS;
  return new Date(shifted);
}

/**
 * When a step is due: `anchor` (the event named in {@link STEP_TIMING}) plus the group's delay,
 * moved into business hours for *b.h.* steps, and off other chase emails' days for chase steps.
 * @param tz the group's IANA timezone
 * @throws InvalidTimeZoneError, InvalidBusinessHoursError
 */
export function dueFor(kind: StepKind, anchor: Date, settings: CadenceSettings, tz: string, opts: DueOptions = {}): Date {
  const timing = STEP_TIMING[kind];
  const due = addDelay(anchor, opts.delay ?? timing.delay(settings), tz);
  if (!timing.businessHours) return due;
  const apart = [...(isChaseStep(kind) ? (opts.otherChaseDues ?? []) : []), ...(opts.keepApartFrom ?? [])];
  if (apart.length) return separateChaseSlots(due, apart, tz, settings.businessHours);
  return snapToBusinessHours(due, tz, settings.businessHours);
}

/**
 * The next weekly digest: the first `digestDay` at `digestHour`:00 in `tz` strictly after `now`
 * (so a digest run at exactly its time plans the following week, never itself again).
 * @param digestDay ISO weekday, 1 = Monday
 * @param digestHour 0–23, local time
 * @throws InvalidTimeZoneError, RangeError for an hour outside 0–23
 */
export function nextDigestTime(now: Date, tz: string, digestDay: Weekday, digestHour: number): Date {
  if (!Number.isInteger(digestHour) || digestHour < 0 || digestHour > 23) {
    throw new RangeError(`Digest hour must be 0–23, got ${digestHour}`);
  }
  if (!Number.isInteger(digestDay) || digestDay < 1 || digestDay > 7) {
    throw new RangeError(`Digest day must be 1–7, got ${digestDay}`);
  }
  const zone = zoneOf(tz);
  const ms = millisOf(now);
  let date = calendarDate(localParts(ms, zone));
  // Today (if not yet passed) … same weekday next week: at most 8 dates.
  for (let i = 0; i <= 8; i++) {
    if (isoWeekday(date) === digestDay) {
      // In a fall-back overlap the first occurrence is the digest time; the second is not a new one.
      const first = instantsAtWallTime(zone, date, digestHour * 60)[0]!;
      if (first > ms) return new Date(first);
    }
    date = addCalendarDays(date, 1);
  }
  throw new Error('unreachable: a weekday recurs within 8 days');
}
