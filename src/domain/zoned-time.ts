/**
 * Wall-clock time in IANA time zones, on the platform's `Intl` alone (Node 20 ships full ICU).
 * Pure; no dependency. Instants are epoch milliseconds (a `Date` is accepted wherever one is read).
 *
 * Two ways to turn a wall time into an instant, because the product uses both:
 * - {@link instantsAtWallTime}: every instant the wall clock reads that time (two in a fall-back
 *   overlap), or in a spring-forward gap the moment the clock jumps past it. Business hours and
 *   digest times use it.
 * - {@link resolveWallTime} (behind the `startOf…`/`add…` helpers and {@link parseIsoInZone}):
 *   one instant, preferring a given UTC offset in an overlap; a time in a gap is read with the
 *   offset before the gap, i.e. moved forward by the gap's length (02:30 → 03:30 in London).
 *   This is how luxon resolved wall times, which these helpers replaced.
 *
 * Formatting is English only, with fixed names ("Sep", not ICU's "Sept"), in a small subset of
 * luxon's format tokens (see {@link formatInZone}).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A calendar date with no zone; months 1–12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The wall-clock reading of an instant in a zone. `weekday` is ISO: 1 = Monday … 7 = Sunday. */
export interface LocalParts extends CalendarDate {
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

// ---------------------------------------------------------------------------------------------
// Zones and offsets

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 1000;

function formatterFor(tz: string): Intl.DateTimeFormat | undefined {
  let dtf = formatters.get(tz);
  if (dtf) return dtf;
  if (typeof tz !== 'string' || tz === '') return undefined;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  // Names are user input ("europe/LONDON" is valid too): keep the cache bounded.
  if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
  formatters.set(tz, dtf);
  return dtf;
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  const dtf = formatterFor(tz);
  if (!dtf) throw new RangeError(`Unknown IANA timezone "${tz}"`);
  return dtf;
}

/** Whether the runtime's time-zone database knows `tz` (an IANA name such as "Europe/London", or "UTC"). */
export function isValidTimeZone(tz: string): boolean {
  return formatterFor(tz) !== undefined;
}

function millisOf(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid Date');
  return ms;
}

/**
 * Wall-clock fields read as if they were UTC, in milliseconds; out-of-range fields roll over
 * (day 32 is the 1st of the next month). Years 0–99 are taken literally.
 */
function wallMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond));
  if (year >= 0 && year < 100) d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/**
 * The zone's UTC offset in minutes at an instant (+60 for London in summer, -300 for New York in
 * winter, +345 for Kathmandu). Historic offsets with seconds come out fractional.
 * @throws RangeError for an unknown zone or an invalid instant
 */
export function zoneOffset(tz: string, at: Date | number): number {
  const dtf = zoneFormatter(tz);
  const ms = millisOf(at);
  const f: Record<string, string> = {};
  for (const part of dtf.formatToParts(ms)) f[part.type] = part.value;
  let year = Number(f.year);
  if (f.era === 'BC' || f.era === 'B') year = 1 - year;
  const hour = Number(f.hour) % 24;
  const asUtc = wallMillis(year, Number(f.month), Number(f.day), hour, Number(f.minute), Number(f.second));
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return (asUtc - wholeSecond) / MINUTE_MS;
}

function partsOfWall(wall: number): LocalParts {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/**
 * What the wall clock in `tz` reads at an instant.
 * @throws RangeError for an unknown zone or an invalid instant
 */
export function localParts(at: Date | number, tz: string): LocalParts {
  const ms = millisOf(at);
  return partsOfWall(ms + zoneOffset(tz, ms) * MINUTE_MS);
}

// ---------------------------------------------------------------------------------------------
// Calendar dates (no zone)

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in a month (1–12) of a proleptic Gregorian year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

/** "YYYY-MM-DD". */
export function formatIsoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** A "YYYY-MM-DD" date that really exists (no 2026-02-30), or undefined. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isRealDate(date) ? date : undefined;
}

function isRealDate({ year, month, day }: CalendarDate): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function dateOfWall(wall: number): CalendarDate {
  const { year, month, day } = partsOfWall(wall);
  return { year, month, day };
}

/** The date `days` calendar days later (earlier when negative). */
export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  return dateOfWall(wallMillis(date.year, date.month, date.day + days));
}

/** The same day `months` months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addCalendarMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((wallMillis(to.year, to.month, to.day) - wallMillis(from.year, from.month, from.day)) / DAY_MS);
}

/** Orders two dates: negative, zero or positive. */
export function compareCalendarDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  const d = new Date(wallMillis(date.year, date.month, date.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** ISO-8601 week of a date: the week-numbering year and week 1–53 (weeks start on Monday). */
export function isoWeekOf(date: CalendarDate): { weekYear: number; week: number } {
  // The Thursday of the date's week decides its year.
  const thursday = addCalendarDays(date, 4 - isoWeekday(date));
  const week = Math.floor(calendarDaysBetween({ year: thursday.year, month: 1, day: 1 }, thursday) / 7) + 1;
  return { weekYear: thursday.year, week };
}

// ---------------------------------------------------------------------------------------------
// Wall time → instant

/**
 * The instants at which the wall clock in `tz` reads `date` + `minuteOfDay`, earliest first:
 * usually one, two in a fall-back overlap. In a spring-forward gap (the wall time never happens)
 * it is the moment the clock jumps past it, i.e. the first instant whose wall time is later.
 * @throws RangeError for an unknown zone
 */
export function instantsAtWallTime(tz: string, date: CalendarDate, minuteOfDay: number): number[] {
  const offset = (t: number) => zoneOffset(tz, t);
  const wall = wallMillis(date.year, date.month, date.day) + minuteOfDay * MINUTE_MS;
  // Offsets around the wall time cover both sides of any transition that could affect it.
  const offsets = [offset(wall - DAY_MS), offset(wall), offset(wall + DAY_MS)];
  const valid = offsets.map((o) => wall - o * MINUTE_MS).filter((t) => offset(t) * MINUTE_MS === wall - t);
  if (valid.length > 0) return [...new Set(valid)].sort((a, b) => a - b);

  // Gap: the local time is below `wall` at `before` and above it at `after`; find the jump.
  let before = wall - Math.max(...offsets) * MINUTE_MS;
  let after = wall - Math.min(...offsets) * MINUTE_MS;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (mid + offset(mid) * MINUTE_MS >= wall) after = mid;
    else before = mid;
  }
  return [after];
}

/**
 * One instant for wall-clock fields in `tz` (fields may roll over: day 32, hour 25). In a fall-back
 * overlap the occurrence with offset `preferOffset` wins when there is one; by default the earlier.
 * In a spring-forward gap the fields are read with the offset before the gap, so the result's wall
 * time is later by the gap's length.
 * @throws RangeError for an unknown zone
 */
export function resolveWallTime(tz: string, fields: Partial<Omit<LocalParts, 'weekday'>> & CalendarDate, preferOffset?: number): number {
  const wall = wallMillis(fields.year, fields.month, fields.day, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, fields.millisecond ?? 0);
  // The larger of the offsets around the wall time is the one before a fall-back: the earlier occurrence.
  const guess = preferOffset ?? Math.max(zoneOffset(tz, wall - DAY_MS), zoneOffset(tz, wall), zoneOffset(tz, wall + DAY_MS));
  let t = wall - guess * MINUTE_MS;
  const o2 = zoneOffset(tz, t);
  if (o2 === guess) return t;
  t -= (o2 - guess) * MINUTE_MS;
  const o3 = zoneOffset(tz, t);
  if (o3 === o2) return t;
  return wall - Math.min(o2, o3) * MINUTE_MS;
}

// ---------------------------------------------------------------------------------------------
// Local calendar arithmetic on instants

function startOfLocal(at: Date | number, tz: string, date: (p: LocalParts) => CalendarDate): number {
  const ms = millisOf(at);
  const { year, month, day } = date(localParts(ms, tz));
  return resolveWallTime(tz, { year, month, day }, zoneOffset(tz, ms));
}

/** The local date of an instant in `tz`, as "YYYY-MM-DD". */
export function localIsoDate(at: Date | number, tz: string): string {
  return formatIsoDate(localParts(at, tz));
}

/** The first instant of the local day of `at` (local midnight, or the end of a gap over it). */
export function startOfLocalDay(at: Date | number, tz: string): number {
  return startOfLocal(at, tz, (p) => p);
}

/** Local midnight of the Monday that starts the ISO week of `at`. */
export function startOfLocalWeek(at: Date | number, tz: string): number {
  return startOfLocal(at, tz, (p) => addCalendarDays(p, 1 - p.weekday));
}

/** Local midnight of the 1st of the month of `at`. */
export function startOfLocalMonth(at: Date | number, tz: string): number {
  return startOfLocal(at, tz, (p) => ({ year: p.year, month: p.month, day: 1 }));
}

/** Local midnight of the 1st day of the quarter of `at` (1 Jan, 1 Apr, 1 Jul, 1 Oct). */
export function startOfLocalQuarter(at: Date | number, tz: string): number {
  return startOfLocal(at, tz, (p) => ({ year: p.year, month: (quarterOf(p.month) - 1) * 3 + 1, day: 1 }));
}

/** The quarter, 1–4, of a month, 1–12. */
export function quarterOf(month: number): number {
  return Math.ceil(month / 3);
}

/**
 * `days` local calendar days later, keeping the wall-clock time across DST changes ("14:00 + 3 days"
 * is 14:00). A fraction of a day is added as elapsed time (0.5 = 12 h).
 */
export function addLocalDays(at: Date | number, tz: string, days: number): number {
  const ms = millisOf(at);
  const whole = Math.trunc(days);
  const p = localParts(ms, tz);
  const moved = resolveWallTime(tz, { ...p, day: p.day + whole }, zoneOffset(tz, ms));
  return moved + (days - whole) * DAY_MS;
}

/** `months` local calendar months later at the same wall time, the day clamped to the month's end. */
export function addLocalMonths(at: Date | number, tz: string, months: number): number {
  const ms = millisOf(at);
  const p = localParts(ms, tz);
  return resolveWallTime(tz, { ...p, ...addCalendarMonths(p, Math.trunc(months)) }, zoneOffset(tz, ms));
}

/** The ISO week of an instant in `tz`, e.g. "2026-W10" (week-numbering year, so 2026-12-31 is "2026-W53"). */
export function isoWeekKey(at: Date | number, tz: string): string {
  const { weekYear, week } = isoWeekOf(localParts(at, tz));
  return `${pad(weekYear, 4)}-W${pad(week, 2)}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const ISO_DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * An ISO-8601 date or date-time ("2026-03-01", "2026-03-01T09:30", "2026-03-01T09:30:00.000Z",
 * "…+05:30"): with an offset or Z it is that instant; without, a wall time in `tz`. Undefined when
 * the text is no such date or names a day or time that does not exist.
 */
export function parseIsoInZone(text: string, tz: string): number | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const fields = {
    year: Number(y),
    month: mo === undefined ? 1 : Number(mo),
    day: d === undefined ? 1 : Number(d),
    hour: h === undefined ? 0 : Number(h),
    minute: mi === undefined ? 0 : Number(mi),
    second: s === undefined ? 0 : Number(s),
    millisecond: frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000),
  };
  if (h !== undefined && d === undefined) return undefined;
  if (!isRealDate(fields) || fields.minute > 59 || fields.second > 59) return undefined;
  if (fields.hour > 24 || (fields.hour === 24 && (fields.minute > 0 || fields.second > 0 || fields.millisecond > 0))) return undefined;
  if (offset === undefined) {
    if (!isValidTimeZone(tz)) return undefined;
    return resolveWallTime(tz, fields);
  }
  const wall = wallMillis(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond);
  if (offset.toUpperCase() === 'Z') return wall;
  const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
  const minutes = Number(oh) * 60 + Number(om ?? 0);
  return wall - (sign === '-' ? -minutes : minutes) * MINUTE_MS;
}

// ---------------------------------------------------------------------------------------------
// Formatting (English)

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

type Fields = CalendarDate & { weekday: number; hour: number; minute: number };

const TOKENS: Record<string, (f: Fields) => string> = {
  d: (f) => String(f.day),
  dd: (f) => pad(f.day, 2),
  L: (f) => String(f.month),
  LL: (f) => pad(f.month, 2),
  LLL: (f) => MONTHS[f.month - 1]!.slice(0, 3),
  LLLL: (f) => MONTHS[f.month - 1]!,
  yy: (f) => pad(Number(String(f.year).slice(-2)), 2),
  yyyy: (f) => pad(f.year, 4),
  ccc: (f) => WEEKDAYS[f.weekday - 1]!.slice(0, 3),
  cccc: (f) => WEEKDAYS[f.weekday - 1]!,
  HH: (f) => pad(f.hour, 2),
  mm: (f) => pad(f.minute, 2),
  q: (f) => String(quarterOf(f.month)),
  kkkk: (f) => pad(isoWeekOf(f).weekYear, 4),
  WW: (f) => pad(isoWeekOf(f).week, 2),
};

/**
 * Formats with a subset of luxon's tokens, in English: d dd L LL LLL ("Jan", "Sep") LLLL ("January")
 * yy yyyy ccc ("Mon") cccc HH mm q kkkk WW, and 'quoted' literal text; other characters that are not
 * letters stand for themselves. "ccc d LLL, HH:mm" → "Mon 5 Jan, 09:00".
 * @throws RangeError for a token outside the subset
 */
function format(fields: Fields, pattern: string): string {
  return pattern.replace(/'([^']*)'|([A-Za-z])\2*/g, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    const render = TOKENS[token];
    if (!render) throw new RangeError(`Unsupported date format token "${token}"`);
    return render(fields);
  });
}

/** An instant's wall time in `tz`, formatted with {@link format}'s tokens: "ccc d LLL, HH:mm" → "Mon 5 Jan, 09:00". */
export function formatInZone(at: Date | number, tz: string, pattern: string): string {
  return format(localParts(at, tz), pattern);
}

/** A calendar date formatted with the same tokens (time tokens read 00:00): "d LLLL" → "5 January". */
export function formatCalendarDate(date: CalendarDate, pattern: string): string {
  return format({ ...date, weekday: isoWeekday(date), hour: 0, minute: 0 }, pattern);
}
