import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addCalendarMonths,
  addLocalDays,
  addLocalMonths,
  calendarDaysBetween,
  formatCalendarDate,
  formatInZone,
  instantsAtWallTime,
  isoWeekKey,
  isValidTimeZone,
  localIsoDate,
  localParts,
  parseIsoDate,
  parseIsoInZone,
  resolveWallTime,
  startOfLocalDay,
  startOfLocalMonth,
  startOfLocalQuarter,
  startOfLocalWeek,
  zoneOffset,
} from '../../../src/domain/zoned-time.js';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const LORD_HOWE = 'Australia/Lord_Howe';
const KOLKATA = 'Asia/Kolkata';
const CHATHAM = 'Pacific/Chatham';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
/** The instant as local time with its offset, so a wrong DST offset shows. */
const show = (ms: number, tz: string) => {
  const o = zoneOffset(tz, ms);
  const sign = o < 0 ? '-' : '+';
  const hhmm = `${String(Math.floor(Math.abs(o) / 60)).padStart(2, '0')}:${String(Math.abs(o) % 60).padStart(2, '0')}`;
  return `${formatInZone(ms, tz, "yyyy-LL-dd'T'HH:mm")}${sign}${hhmm}`;
};

describe('isValidTimeZone', () => {
  it('knows IANA names, UTC and case variants, not made-up or empty ones', () => {
    for (const tz of [LONDON, NEW_YORK, LORD_HOWE, KOLKATA, CHATHAM, 'UTC', 'Etc/GMT+5', 'europe/london', 'US/Eastern']) expect(isValidTimeZone(tz), tz).toBe(true);
    for (const tz of ['', 'Europe/Lndon', 'Mars/Olympus', 'local', 'Not a zone']) expect(isValidTimeZone(tz), tz).toBe(false);
  });

  it('makes the other helpers throw a RangeError for an unknown zone', () => {
    expect(() => localParts(0, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => formatInZone(0, 'Mars/Olympus', 'd LLL')).toThrow(RangeError);
    expect(() => instantsAtWallTime('Mars/Olympus', { year: 2026, month: 1, day: 1 }, 0)).toThrow(RangeError);
    expect(() => localParts(NaN, LONDON)).toThrow(RangeError);
    expect(parseIsoInZone('2026-01-01', 'Mars/Olympus')).toBeUndefined();
  });
});

describe('zoneOffset and localParts', () => {
  it('reads summer and winter offsets, half and quarter hours', () => {
    expect(zoneOffset(LONDON, t('2026-01-15T12:00Z'))).toBe(0);
    expect(zoneOffset(LONDON, t('2026-07-15T12:00Z'))).toBe(60);
    expect(zoneOffset(NEW_YORK, t('2026-01-15T12:00Z'))).toBe(-300);
    expect(zoneOffset(NEW_YORK, t('2026-07-15T12:00Z'))).toBe(-240);
    expect(zoneOffset(KOLKATA, t('2026-07-15T12:00Z'))).toBe(330);
    expect(zoneOffset(LORD_HOWE, t('2026-01-15T12:00Z'))).toBe(660);
    expect(zoneOffset(LORD_HOWE, t('2026-07-15T12:00Z'))).toBe(630);
    expect(zoneOffset(CHATHAM, t('2026-01-15T12:00Z'))).toBe(825);
    expect(zoneOffset(CHATHAM, t('2026-07-15T12:00Z'))).toBe(765);
    expect(zoneOffset('UTC', t('2026-07-15T12:00Z'))).toBe(0);
  });

  it('changes offset at the exact transition instant', () => {
    // London springs forward at 01:00 UTC on the last Sunday of March.
    expect(zoneOffset(LONDON, t('2026-03-29T00:59:59.999Z'))).toBe(0);
    expect(zoneOffset(LONDON, t('2026-03-29T01:00:00Z'))).toBe(60);
    // New York falls back at 06:00 UTC on the first Sunday of November.
    expect(zoneOffset(NEW_YORK, t('2026-11-01T05:59:59Z'))).toBe(-240);
    expect(zoneOffset(NEW_YORK, t('2026-11-01T06:00:00Z'))).toBe(-300);
  });

  it('gives the wall clock with an ISO weekday (Sunday = 7)', () => {
    expect(localParts(t('2026-03-08T20:30:15.250Z'), KOLKATA)).toEqual({ year: 2026, month: 3, day: 9, weekday: 1, hour: 2, minute: 0, second: 15, millisecond: 250 });
    expect(localParts(t('2026-03-08T04:59Z'), NEW_YORK)).toMatchObject({ day: 7, weekday: 6, hour: 23, minute: 59 });
    expect(localParts(t('2026-03-08T12:00Z'), LONDON).weekday).toBe(7);
    expect(localParts(t('2025-12-31T11:00Z'), CHATHAM)).toMatchObject({ year: 2026, month: 1, day: 1, hour: 0, minute: 45 });
  });
});

describe('instantsAtWallTime', () => {
  const date = (y: number, m: number, d: number) => ({ year: y, month: m, day: d });

  it('finds the one instant of an ordinary wall time', () => {
    expect(instantsAtWallTime(LONDON, date(2026, 6, 2), 8 * 60).map(iso)).toEqual(['2026-06-02T07:00:00.000Z']);
    expect(instantsAtWallTime(KOLKATA, date(2026, 6, 2), 9 * 60 + 30).map(iso)).toEqual(['2026-06-02T04:00:00.000Z']);
  });

  it('gives the jump out of a spring-forward gap', () => {
    // London 01:00 → 02:00; New York 02:00 → 03:00; Lord Howe 02:00 → 02:30.
    expect(instantsAtWallTime(LONDON, date(2026, 3, 29), 90).map(iso)).toEqual(['2026-03-29T01:00:00.000Z']);
    expect(instantsAtWallTime(NEW_YORK, date(2026, 3, 8), 150).map(iso)).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(instantsAtWallTime(LORD_HOWE, date(2026, 10, 4), 2 * 60 + 15).map((ms) => show(ms, LORD_HOWE))).toEqual(['2026-10-04T02:30+11:00']);
    // Chatham 02:45 → 03:45.
    expect(instantsAtWallTime(CHATHAM, date(2026, 9, 27), 3 * 60).map((ms) => show(ms, CHATHAM))).toEqual(['2026-09-27T03:45+13:45']);
  });

  it('gives both instants of a fall-back overlap, earliest first', () => {
    expect(instantsAtWallTime(LONDON, date(2026, 10, 25), 90).map((ms) => show(ms, LONDON))).toEqual(['2026-10-25T01:30+01:00', '2026-10-25T01:30+00:00']);
    expect(instantsAtWallTime(NEW_YORK, date(2026, 11, 1), 90).map(iso)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']);
    // Lord Howe falls back by 30 minutes: 02:00 → 01:30.
    expect(instantsAtWallTime(LORD_HOWE, date(2026, 4, 5), 100).map((ms) => show(ms, LORD_HOWE))).toEqual(['2026-04-05T01:40+11:00', '2026-04-05T01:40+10:30']);
  });

  it('always returns instants that read the wall time, or the first later one in a gap', () => {
    const zones = [LONDON, NEW_YORK, LORD_HOWE, KOLKATA, CHATHAM, 'America/Sao_Paulo', 'America/Santiago', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 366 }), fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.constantFrom(...zones), (n, minute, tz) => {
        const d = addCalendarDays(date(2020, 1, 1), n);
        const found = instantsAtWallTime(tz, d, minute);
        expect(found.length).toBeGreaterThanOrEqual(1);
        const wall = (ms: number) => localParts(ms, tz);
        for (const ms of found) {
          const p = wall(ms);
          const reads = p.year === d.year && p.month === d.month && p.day === d.day && p.hour * 60 + p.minute === minute;
          if (!reads) {
            expect(found).toHaveLength(1);
            // In a gap: one millisecond earlier the clock read earlier than the wanted time.
            const before = wall(ms - 1);
            expect(before.hour * 60 + before.minute < minute || before.day !== d.day).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveWallTime', () => {
  it('moves a time in a gap forward by the gap, and prefers the given offset in an overlap', () => {
    expect(show(resolveWallTime(LONDON, { year: 2026, month: 3, day: 29, hour: 1, minute: 30 }), LONDON)).toBe('2026-03-29T02:30+01:00');
    expect(show(resolveWallTime(LORD_HOWE, { year: 2026, month: 10, day: 4, hour: 2, minute: 15 }), LORD_HOWE)).toBe('2026-10-04T02:45+11:00');
    expect(show(resolveWallTime(LONDON, { year: 2026, month: 10, day: 25, hour: 1, minute: 30 }), LONDON)).toBe('2026-10-25T01:30+01:00');
    expect(show(resolveWallTime(LONDON, { year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 0), LONDON)).toBe('2026-10-25T01:30+00:00');
    // Fields roll over.
    expect(show(resolveWallTime(KOLKATA, { year: 2026, month: 12, day: 32, hour: 25 }), KOLKATA)).toBe('2027-01-02T01:00+05:30');
  });
});

describe('local calendar arithmetic', () => {
  it('finds the starts of day, ISO week, month and quarter in the zone', () => {
    const at = t('2026-05-13T23:30:00Z'); // Thursday 14 May 00:30 in London, still Wednesday in New York
    expect(show(startOfLocalDay(at, LONDON), LONDON)).toBe('2026-05-14T00:00+01:00');
    expect(show(startOfLocalDay(at, NEW_YORK), NEW_YORK)).toBe('2026-05-13T00:00-04:00');
    expect(show(startOfLocalWeek(at, LONDON), LONDON)).toBe('2026-05-11T00:00+01:00');
    expect(show(startOfLocalWeek(t('2026-05-17T12:00Z'), LONDON), LONDON)).toBe('2026-05-11T00:00+01:00'); // Sunday
    expect(show(startOfLocalMonth(at, LONDON), LONDON)).toBe('2026-05-01T00:00+01:00');
    expect(show(startOfLocalQuarter(at, LONDON), LONDON)).toBe('2026-04-01T00:00+01:00');
    // The week of the March change starts before it, in winter time.
    expect(show(startOfLocalWeek(t('2026-03-31T12:00Z'), LONDON), LONDON)).toBe('2026-03-30T00:00+01:00');
    expect(show(startOfLocalWeek(t('2026-03-29T12:00Z'), LONDON), LONDON)).toBe('2026-03-23T00:00+00:00');
    expect(show(startOfLocalQuarter(t('2026-12-31T23:00Z'), CHATHAM), CHATHAM)).toBe('2027-01-01T00:00+13:45');
  });

  it('starts a day whose midnight is skipped at the end of the gap', () => {
    // Santiago springs forward at 24:00 on the first Saturday of September: 00:00 → 01:00.
    expect(show(startOfLocalDay(t('2026-09-06T15:00Z'), 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06T01:00-03:00');
    expect(show(parseIsoInZone('2026-09-06', 'America/Santiago')!, 'America/Santiago')).toBe('2026-09-06T01:00-03:00');
  });

  it('adds days keeping the wall time across DST, fractions as elapsed time', () => {
    const friday = t('2026-03-27T14:00Z'); // 14:00 GMT
    expect(show(addLocalDays(friday, LONDON, 3), LONDON)).toBe('2026-03-30T14:00+01:00');
    expect(addLocalDays(friday, LONDON, 3) - friday).toBe(71 * 3_600_000);
    expect(show(addLocalDays(t('2026-10-30T13:00Z'), NEW_YORK, 7), NEW_YORK)).toBe('2026-11-06T09:00-05:00');
    expect(show(addLocalDays(friday, LONDON, 1.5), LONDON)).toBe('2026-03-29T03:00+01:00');
    expect(addLocalDays(friday, LONDON, 0)).toBe(friday);
    // Landing in the gap moves forward by the gap.
    expect(show(addLocalDays(t('2026-03-28T01:30Z'), LONDON, 1), LONDON)).toBe('2026-03-29T02:30+01:00');
    // Lord Howe: 30-minute change.
    expect(show(addLocalDays(t('2026-04-03T23:00Z'), LORD_HOWE, 2), LORD_HOWE)).toBe('2026-04-06T10:00+10:30');
  });

  it('adds months clamping to the end of the month', () => {
    expect(show(addLocalMonths(t('2026-01-31T09:00Z'), LONDON, 1), LONDON)).toBe('2026-02-28T09:00+00:00');
    expect(show(addLocalMonths(t('2028-01-31T09:00Z'), LONDON, 1), LONDON)).toBe('2028-02-29T09:00+00:00');
    expect(show(addLocalMonths(t('2026-01-01T00:00Z'), LONDON, 3), LONDON)).toBe('2026-04-01T00:00+01:00');
    expect(show(addLocalMonths(t('2026-11-30T12:00Z'), KOLKATA, 3), KOLKATA)).toBe('2027-02-28T17:30+05:30');
  });

  it('keys ISO weeks by the week-numbering year', () => {
    expect(isoWeekKey(t('2026-03-04T12:00Z'), LONDON)).toBe('2026-W10');
    expect(isoWeekKey(t('2026-12-31T12:00Z'), LONDON)).toBe('2026-W53');
    expect(isoWeekKey(t('2027-01-03T12:00Z'), LONDON)).toBe('2026-W53');
    expect(isoWeekKey(t('2027-01-04T12:00Z'), LONDON)).toBe('2027-W01');
    expect(isoWeekKey(t('2024-12-30T12:00Z'), LONDON)).toBe('2025-W01');
    // Sunday 23:30 in New York is already Monday in Kolkata.
    expect(isoWeekKey(t('2026-03-09T03:30Z'), NEW_YORK)).toBe('2026-W10');
    expect(isoWeekKey(t('2026-03-09T03:30Z'), KOLKATA)).toBe('2026-W11');
  });

  it('does calendar dates without a zone', () => {
    expect(parseIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-1', ' 2026-01-01', '2100-02-29']) expect(parseIsoDate(bad), bad).toBeUndefined();
    expect(parseIsoDate('2000-02-29')).toBeDefined();
    expect(addCalendarDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addCalendarDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addCalendarMonths({ year: 2026, month: 8, day: 31 }, -6)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addCalendarMonths({ year: 2026, month: 2, day: 28 }, 24)).toEqual({ year: 2028, month: 2, day: 28 });
    expect(calendarDaysBetween({ year: 2026, month: 3, day: 1 }, { year: 2026, month: 5, day: 31 })).toBe(91);
    expect(calendarDaysBetween({ year: 2026, month: 3, day: 2 }, { year: 2026, month: 3, day: 1 })).toBe(-1);
  });

  it('reads the local date of an instant', () => {
    expect(localIsoDate(t('2026-03-08T23:30Z'), LONDON)).toBe('2026-03-08');
    expect(localIsoDate(t('2026-03-08T23:30Z'), KOLKATA)).toBe('2026-03-09');
    expect(localIsoDate(t('2026-03-08T10:30Z'), 'Pacific/Pago_Pago')).toBe('2026-03-07');
  });
});

describe('parseIsoInZone', () => {
  it('reads instants with an offset as they are and the rest as wall time in the zone', () => {
    expect(iso(parseIsoInZone('2026-03-10T10:00:00.000Z', NEW_YORK)!)).toBe('2026-03-10T10:00:00.000Z');
    expect(iso(parseIsoInZone('2026-03-10T10:00:00+05:30', LONDON)!)).toBe('2026-03-10T04:30:00.000Z');
    expect(iso(parseIsoInZone('2026-03-10T10:00-0400', LONDON)!)).toBe('2026-03-10T14:00:00.000Z');
    expect(iso(parseIsoInZone('2026-03-10', NEW_YORK)!)).toBe('2026-03-10T04:00:00.000Z');
    expect(iso(parseIsoInZone('2026-07-10T09:30', LONDON)!)).toBe('2026-07-10T08:30:00.000Z');
    expect(iso(parseIsoInZone('2026-07-10T09:30:12,5', KOLKATA)!)).toBe('2026-07-10T04:00:12.500Z');
    expect(iso(parseIsoInZone('2026-03-29T24:00', LONDON)!)).toBe('2026-03-29T23:00:00.000Z');
  });

  it('refuses what is not an ISO date or does not exist', () => {
    for (const bad of ['', 'nope', '2026-02-30', '2026-13-01', '2026-01-01T25:00', '2026-01-01T10:60', '2026-01-01T24:01', '2026-1-1', '2026-01-01T10:00:00Zjunk', '10:00'])
      expect(parseIsoInZone(bad, LONDON), bad).toBeUndefined();
  });
});

describe('formatInZone', () => {
  it('formats the product\'s patterns in English like "Mon 5 Jan, 09:00"', () => {
    const at = t('2026-01-05T09:00:00Z');
    expect(formatInZone(at, LONDON, 'ccc d LLL, HH:mm')).toBe('Mon 5 Jan, 09:00');
    expect(formatInZone(at, LONDON, 'd LLL yyyy, HH:mm')).toBe('5 Jan 2026, 09:00');
    expect(formatInZone(at, LONDON, 'd LLL yyyy')).toBe('5 Jan 2026');
    expect(formatInZone(at, LONDON, 'd LLLL')).toBe('5 January');
    expect(formatInZone(at, LONDON, 'LLLL yyyy')).toBe('January 2026');
    expect(formatInZone(at, LONDON, 'ccc d LLL')).toBe('Mon 5 Jan');
    expect(formatInZone(at, LONDON, 'd LLLL yyyy')).toBe('5 January 2026');
    expect(formatInZone(at, LONDON, "kkkk-'W'WW")).toBe('2026-W02');
    expect(formatInZone(at, NEW_YORK, 'ccc d LLL, HH:mm')).toBe('Mon 5 Jan, 04:00');
    expect(formatInZone(at, CHATHAM, 'ccc d LLL, HH:mm')).toBe('Mon 5 Jan, 22:45');
  });

  it('uses three-letter months and weekdays ("Sep", not "Sept") and 24-hour clock', () => {
    const months = Array.from({ length: 12 }, (_, i) => formatInZone(Date.UTC(2026, i, 15, 12), 'UTC', 'LLL'));
    expect(months).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
    const full = Array.from({ length: 12 }, (_, i) => formatInZone(Date.UTC(2026, i, 15, 12), 'UTC', 'LLLL'));
    expect(full).toEqual(['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']);
    const days = Array.from({ length: 7 }, (_, i) => formatInZone(Date.UTC(2026, 0, 5 + i, 12), 'UTC', 'ccc'));
    expect(days).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(formatInZone(t('2026-09-30T23:05Z'), 'UTC', 'd LLL yyyy, HH:mm')).toBe('30 Sep 2026, 23:05');
    expect(formatInZone(t('2026-09-30T00:05Z'), 'UTC', 'HH:mm')).toBe('00:05');
  });

  it('shows the wall time on both sides of DST changes', () => {
    expect(formatInZone(t('2026-03-29T00:59Z'), LONDON, 'ccc d LLL, HH:mm')).toBe('Sun 29 Mar, 00:59');
    expect(formatInZone(t('2026-03-29T01:00Z'), LONDON, 'ccc d LLL, HH:mm')).toBe('Sun 29 Mar, 02:00');
    expect(formatInZone(t('2026-11-01T05:30Z'), NEW_YORK, 'HH:mm')).toBe('01:30');
    expect(formatInZone(t('2026-11-01T06:30Z'), NEW_YORK, 'HH:mm')).toBe('01:30');
    expect(formatInZone(t('2026-04-04T15:00Z'), LORD_HOWE, 'HH:mm')).toBe('01:30');
    expect(formatInZone(t('2026-04-04T15:30Z'), LORD_HOWE, 'HH:mm')).toBe('02:00');
  });

  it('formats calendar dates, two-digit years, quarters and literal text', () => {
    expect(formatCalendarDate({ year: 2025, month: 12, day: 29 }, 'd LLL yy')).toBe('29 Dec 25');
    expect(formatCalendarDate({ year: 2005, month: 3, day: 2 }, 'd LLL yy')).toBe('2 Mar 05');
    expect(formatCalendarDate({ year: 2026, month: 3, day: 2 }, "'week of' d LLLL")).toBe('week of 2 March');
    expect(formatCalendarDate({ year: 2026, month: 8, day: 2 }, "'Q'q yyyy")).toBe('Q3 2026');
    expect(formatCalendarDate({ year: 2026, month: 3, day: 2 }, 'dd/LL/yyyy cccc')).toBe('02/03/2026 Monday');
  });

  it('refuses tokens it does not know rather than printing them', () => {
    expect(() => formatCalendarDate({ year: 2026, month: 3, day: 2 }, 'MMM d')).toThrow(RangeError);
    expect(() => formatInZone(0, 'UTC', 'hh:mm a')).toThrow(RangeError);
  });
});

/**
 * Written by luxon 3.7 (which these helpers replaced) for instants around each 2026 offset change
 * and a few year and week edges: zone, instant, the formats ("ccc d LLL, HH:mm" | "d LLL yyyy, HH:mm"
 * | "d LLLL" | "LLLL yyyy" | "kkkk-'W'WW"), the starts of day, week, month and quarter, and + 1 day,
 * + 1 week, + 1 month.
 */
const LUXON: readonly (readonly [string, string, string, string, string])[] = [
  ['Europe/London', '2026-01-01T00:00:00.000Z', 'Thu 1 Jan, 00:00 | 1 Jan 2026, 00:00 | 1 January | January 2026 | 2026-W01', '2026-01-01T00:00:00+00:00 2025-12-29T00:00:00+00:00 2026-01-01T00:00:00+00:00 2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00 2026-01-08T00:00:00+00:00 2026-02-01T00:00:00+00:00'],
  ['Europe/London', '2026-03-29T00:59:00.000Z', 'Sun 29 Mar, 00:59 | 29 Mar 2026, 00:59 | 29 March | March 2026 | 2026-W13', '2026-03-29T00:00:00+00:00 2026-03-23T00:00:00+00:00 2026-03-01T00:00:00+00:00 2026-01-01T00:00:00+00:00', '2026-03-30T00:59:00+01:00 2026-04-05T00:59:00+01:00 2026-04-29T00:59:00+01:00'],
  ['Europe/London', '2026-03-29T01:00:00.000Z', 'Sun 29 Mar, 02:00 | 29 Mar 2026, 02:00 | 29 March | March 2026 | 2026-W13', '2026-03-29T00:00:00+00:00 2026-03-23T00:00:00+00:00 2026-03-01T00:00:00+00:00 2026-01-01T00:00:00+00:00', '2026-03-30T02:00:00+01:00 2026-04-05T02:00:00+01:00 2026-04-29T02:00:00+01:00'],
  ['Europe/London', '2026-03-29T02:30:00.000Z', 'Sun 29 Mar, 03:30 | 29 Mar 2026, 03:30 | 29 March | March 2026 | 2026-W13', '2026-03-29T00:00:00+00:00 2026-03-23T00:00:00+00:00 2026-03-01T00:00:00+00:00 2026-01-01T00:00:00+00:00', '2026-03-30T03:30:00+01:00 2026-04-05T03:30:00+01:00 2026-04-29T03:30:00+01:00'],
  ['Europe/London', '2026-10-25T00:59:00.000Z', 'Sun 25 Oct, 01:59 | 25 Oct 2026, 01:59 | 25 October | October 2026 | 2026-W43', '2026-10-25T00:00:00+01:00 2026-10-19T00:00:00+01:00 2026-10-01T00:00:00+01:00 2026-10-01T00:00:00+01:00', '2026-10-26T01:59:00+00:00 2026-11-01T01:59:00+00:00 2026-11-25T01:59:00+00:00'],
  ['Europe/London', '2026-10-25T01:00:00.000Z', 'Sun 25 Oct, 01:00 | 25 Oct 2026, 01:00 | 25 October | October 2026 | 2026-W43', '2026-10-25T00:00:00+01:00 2026-10-19T00:00:00+01:00 2026-10-01T00:00:00+01:00 2026-10-01T00:00:00+01:00', '2026-10-26T01:00:00+00:00 2026-11-01T01:00:00+00:00 2026-11-25T01:00:00+00:00'],
  ['Europe/London', '2026-10-25T02:30:00.000Z', 'Sun 25 Oct, 02:30 | 25 Oct 2026, 02:30 | 25 October | October 2026 | 2026-W43', '2026-10-25T00:00:00+01:00 2026-10-19T00:00:00+01:00 2026-10-01T00:00:00+01:00 2026-10-01T00:00:00+01:00', '2026-10-26T02:30:00+00:00 2026-11-01T02:30:00+00:00 2026-11-25T02:30:00+00:00'],
  ['Europe/London', '2026-12-31T23:59:00.000Z', 'Thu 31 Dec, 23:59 | 31 Dec 2026, 23:59 | 31 December | December 2026 | 2026-W53', '2026-12-31T00:00:00+00:00 2026-12-28T00:00:00+00:00 2026-12-01T00:00:00+00:00 2026-10-01T00:00:00+01:00', '2027-01-01T23:59:00+00:00 2027-01-07T23:59:00+00:00 2027-01-31T23:59:00+00:00'],
  ['Europe/London', '2027-01-03T12:00:00.000Z', 'Sun 3 Jan, 12:00 | 3 Jan 2027, 12:00 | 3 January | January 2027 | 2026-W53', '2027-01-03T00:00:00+00:00 2026-12-28T00:00:00+00:00 2027-01-01T00:00:00+00:00 2027-01-01T00:00:00+00:00', '2027-01-04T12:00:00+00:00 2027-01-10T12:00:00+00:00 2027-02-03T12:00:00+00:00'],
  ['Europe/London', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 10:30 | 29 Feb 2028, 10:30 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00+00:00 2028-02-28T00:00:00+00:00 2028-02-01T00:00:00+00:00 2028-01-01T00:00:00+00:00', '2028-03-01T10:30:00+00:00 2028-03-07T10:30:00+00:00 2028-03-29T10:30:00+01:00'],
  ['America/New_York', '2026-01-01T00:00:00.000Z', 'Wed 31 Dec, 19:00 | 31 Dec 2025, 19:00 | 31 December | December 2025 | 2026-W01', '2025-12-31T00:00:00-05:00 2025-12-29T00:00:00-05:00 2025-12-01T00:00:00-05:00 2025-10-01T00:00:00-04:00', '2026-01-01T19:00:00-05:00 2026-01-07T19:00:00-05:00 2026-01-31T19:00:00-05:00'],
  ['America/New_York', '2026-03-08T06:59:00.000Z', 'Sun 8 Mar, 01:59 | 8 Mar 2026, 01:59 | 8 March | March 2026 | 2026-W10', '2026-03-08T00:00:00-05:00 2026-03-02T00:00:00-05:00 2026-03-01T00:00:00-05:00 2026-01-01T00:00:00-05:00', '2026-03-09T01:59:00-04:00 2026-03-15T01:59:00-04:00 2026-04-08T01:59:00-04:00'],
  ['America/New_York', '2026-03-08T07:00:00.000Z', 'Sun 8 Mar, 03:00 | 8 Mar 2026, 03:00 | 8 March | March 2026 | 2026-W10', '2026-03-08T00:00:00-05:00 2026-03-02T00:00:00-05:00 2026-03-01T00:00:00-05:00 2026-01-01T00:00:00-05:00', '2026-03-09T03:00:00-04:00 2026-03-15T03:00:00-04:00 2026-04-08T03:00:00-04:00'],
  ['America/New_York', '2026-03-08T08:30:00.000Z', 'Sun 8 Mar, 04:30 | 8 Mar 2026, 04:30 | 8 March | March 2026 | 2026-W10', '2026-03-08T00:00:00-05:00 2026-03-02T00:00:00-05:00 2026-03-01T00:00:00-05:00 2026-01-01T00:00:00-05:00', '2026-03-09T04:30:00-04:00 2026-03-15T04:30:00-04:00 2026-04-08T04:30:00-04:00'],
  ['America/New_York', '2026-11-01T05:59:00.000Z', 'Sun 1 Nov, 01:59 | 1 Nov 2026, 01:59 | 1 November | November 2026 | 2026-W44', '2026-11-01T00:00:00-04:00 2026-10-26T00:00:00-04:00 2026-11-01T00:00:00-04:00 2026-10-01T00:00:00-04:00', '2026-11-02T01:59:00-05:00 2026-11-08T01:59:00-05:00 2026-12-01T01:59:00-05:00'],
  ['America/New_York', '2026-11-01T06:00:00.000Z', 'Sun 1 Nov, 01:00 | 1 Nov 2026, 01:00 | 1 November | November 2026 | 2026-W44', '2026-11-01T00:00:00-04:00 2026-10-26T00:00:00-04:00 2026-11-01T00:00:00-04:00 2026-10-01T00:00:00-04:00', '2026-11-02T01:00:00-05:00 2026-11-08T01:00:00-05:00 2026-12-01T01:00:00-05:00'],
  ['America/New_York', '2026-11-01T07:30:00.000Z', 'Sun 1 Nov, 02:30 | 1 Nov 2026, 02:30 | 1 November | November 2026 | 2026-W44', '2026-11-01T00:00:00-04:00 2026-10-26T00:00:00-04:00 2026-11-01T00:00:00-04:00 2026-10-01T00:00:00-04:00', '2026-11-02T02:30:00-05:00 2026-11-08T02:30:00-05:00 2026-12-01T02:30:00-05:00'],
  ['America/New_York', '2026-12-31T23:59:00.000Z', 'Thu 31 Dec, 18:59 | 31 Dec 2026, 18:59 | 31 December | December 2026 | 2026-W53', '2026-12-31T00:00:00-05:00 2026-12-28T00:00:00-05:00 2026-12-01T00:00:00-05:00 2026-10-01T00:00:00-04:00', '2027-01-01T18:59:00-05:00 2027-01-07T18:59:00-05:00 2027-01-31T18:59:00-05:00'],
  ['America/New_York', '2027-01-03T12:00:00.000Z', 'Sun 3 Jan, 07:00 | 3 Jan 2027, 07:00 | 3 January | January 2027 | 2026-W53', '2027-01-03T00:00:00-05:00 2026-12-28T00:00:00-05:00 2027-01-01T00:00:00-05:00 2027-01-01T00:00:00-05:00', '2027-01-04T07:00:00-05:00 2027-01-10T07:00:00-05:00 2027-02-03T07:00:00-05:00'],
  ['America/New_York', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 05:30 | 29 Feb 2028, 05:30 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00-05:00 2028-02-28T00:00:00-05:00 2028-02-01T00:00:00-05:00 2028-01-01T00:00:00-05:00', '2028-03-01T05:30:00-05:00 2028-03-07T05:30:00-05:00 2028-03-29T05:30:00-04:00'],
  ['Australia/Lord_Howe', '2026-01-01T00:00:00.000Z', 'Thu 1 Jan, 11:00 | 1 Jan 2026, 11:00 | 1 January | January 2026 | 2026-W01', '2026-01-01T00:00:00+11:00 2025-12-29T00:00:00+11:00 2026-01-01T00:00:00+11:00 2026-01-01T00:00:00+11:00', '2026-01-02T11:00:00+11:00 2026-01-08T11:00:00+11:00 2026-02-01T11:00:00+11:00'],
  ['Australia/Lord_Howe', '2026-04-04T14:59:00.000Z', 'Sun 5 Apr, 01:59 | 5 Apr 2026, 01:59 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+11:00 2026-03-30T00:00:00+11:00 2026-04-01T00:00:00+11:00 2026-04-01T00:00:00+11:00', '2026-04-06T01:59:00+10:30 2026-04-12T01:59:00+10:30 2026-05-05T01:59:00+10:30'],
  ['Australia/Lord_Howe', '2026-04-04T15:00:00.000Z', 'Sun 5 Apr, 01:30 | 5 Apr 2026, 01:30 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+11:00 2026-03-30T00:00:00+11:00 2026-04-01T00:00:00+11:00 2026-04-01T00:00:00+11:00', '2026-04-06T01:30:00+10:30 2026-04-12T01:30:00+10:30 2026-05-05T01:30:00+10:30'],
  ['Australia/Lord_Howe', '2026-04-04T16:30:00.000Z', 'Sun 5 Apr, 03:00 | 5 Apr 2026, 03:00 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+11:00 2026-03-30T00:00:00+11:00 2026-04-01T00:00:00+11:00 2026-04-01T00:00:00+11:00', '2026-04-06T03:00:00+10:30 2026-04-12T03:00:00+10:30 2026-05-05T03:00:00+10:30'],
  ['Australia/Lord_Howe', '2026-10-03T15:29:00.000Z', 'Sun 4 Oct, 01:59 | 4 Oct 2026, 01:59 | 4 October | October 2026 | 2026-W40', '2026-10-04T00:00:00+10:30 2026-09-28T00:00:00+10:30 2026-10-01T00:00:00+10:30 2026-10-01T00:00:00+10:30', '2026-10-05T01:59:00+11:00 2026-10-11T01:59:00+11:00 2026-11-04T01:59:00+11:00'],
  ['Australia/Lord_Howe', '2026-10-03T15:30:00.000Z', 'Sun 4 Oct, 02:30 | 4 Oct 2026, 02:30 | 4 October | October 2026 | 2026-W40', '2026-10-04T00:00:00+10:30 2026-09-28T00:00:00+10:30 2026-10-01T00:00:00+10:30 2026-10-01T00:00:00+10:30', '2026-10-05T02:30:00+11:00 2026-10-11T02:30:00+11:00 2026-11-04T02:30:00+11:00'],
  ['Australia/Lord_Howe', '2026-10-03T17:00:00.000Z', 'Sun 4 Oct, 04:00 | 4 Oct 2026, 04:00 | 4 October | October 2026 | 2026-W40', '2026-10-04T00:00:00+10:30 2026-09-28T00:00:00+10:30 2026-10-01T00:00:00+10:30 2026-10-01T00:00:00+10:30', '2026-10-05T04:00:00+11:00 2026-10-11T04:00:00+11:00 2026-11-04T04:00:00+11:00'],
  ['Australia/Lord_Howe', '2026-12-31T23:59:00.000Z', 'Fri 1 Jan, 10:59 | 1 Jan 2027, 10:59 | 1 January | January 2027 | 2026-W53', '2027-01-01T00:00:00+11:00 2026-12-28T00:00:00+11:00 2027-01-01T00:00:00+11:00 2027-01-01T00:00:00+11:00', '2027-01-02T10:59:00+11:00 2027-01-08T10:59:00+11:00 2027-02-01T10:59:00+11:00'],
  ['Australia/Lord_Howe', '2027-01-03T12:00:00.000Z', 'Sun 3 Jan, 23:00 | 3 Jan 2027, 23:00 | 3 January | January 2027 | 2026-W53', '2027-01-03T00:00:00+11:00 2026-12-28T00:00:00+11:00 2027-01-01T00:00:00+11:00 2027-01-01T00:00:00+11:00', '2027-01-04T23:00:00+11:00 2027-01-10T23:00:00+11:00 2027-02-03T23:00:00+11:00'],
  ['Australia/Lord_Howe', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 21:30 | 29 Feb 2028, 21:30 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00+11:00 2028-02-28T00:00:00+11:00 2028-02-01T00:00:00+11:00 2028-01-01T00:00:00+11:00', '2028-03-01T21:30:00+11:00 2028-03-07T21:30:00+11:00 2028-03-29T21:30:00+11:00'],
  ['Asia/Kolkata', '2026-01-01T00:00:00.000Z', 'Thu 1 Jan, 05:30 | 1 Jan 2026, 05:30 | 1 January | January 2026 | 2026-W01', '2026-01-01T00:00:00+05:30 2025-12-29T00:00:00+05:30 2026-01-01T00:00:00+05:30 2026-01-01T00:00:00+05:30', '2026-01-02T05:30:00+05:30 2026-01-08T05:30:00+05:30 2026-02-01T05:30:00+05:30'],
  ['Asia/Kolkata', '2026-12-31T23:59:00.000Z', 'Fri 1 Jan, 05:29 | 1 Jan 2027, 05:29 | 1 January | January 2027 | 2026-W53', '2027-01-01T00:00:00+05:30 2026-12-28T00:00:00+05:30 2027-01-01T00:00:00+05:30 2027-01-01T00:00:00+05:30', '2027-01-02T05:29:00+05:30 2027-01-08T05:29:00+05:30 2027-02-01T05:29:00+05:30'],
  ['Asia/Kolkata', '2027-01-03T12:00:00.000Z', 'Sun 3 Jan, 17:30 | 3 Jan 2027, 17:30 | 3 January | January 2027 | 2026-W53', '2027-01-03T00:00:00+05:30 2026-12-28T00:00:00+05:30 2027-01-01T00:00:00+05:30 2027-01-01T00:00:00+05:30', '2027-01-04T17:30:00+05:30 2027-01-10T17:30:00+05:30 2027-02-03T17:30:00+05:30'],
  ['Asia/Kolkata', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 16:00 | 29 Feb 2028, 16:00 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00+05:30 2028-02-28T00:00:00+05:30 2028-02-01T00:00:00+05:30 2028-01-01T00:00:00+05:30', '2028-03-01T16:00:00+05:30 2028-03-07T16:00:00+05:30 2028-03-29T16:00:00+05:30'],
  ['Pacific/Chatham', '2026-01-01T00:00:00.000Z', 'Thu 1 Jan, 13:45 | 1 Jan 2026, 13:45 | 1 January | January 2026 | 2026-W01', '2026-01-01T00:00:00+13:45 2025-12-29T00:00:00+13:45 2026-01-01T00:00:00+13:45 2026-01-01T00:00:00+13:45', '2026-01-02T13:45:00+13:45 2026-01-08T13:45:00+13:45 2026-02-01T13:45:00+13:45'],
  ['Pacific/Chatham', '2026-04-04T13:59:00.000Z', 'Sun 5 Apr, 03:44 | 5 Apr 2026, 03:44 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+13:45 2026-03-30T00:00:00+13:45 2026-04-01T00:00:00+13:45 2026-04-01T00:00:00+13:45', '2026-04-06T03:44:00+12:45 2026-04-12T03:44:00+12:45 2026-05-05T03:44:00+12:45'],
  ['Pacific/Chatham', '2026-04-04T14:00:00.000Z', 'Sun 5 Apr, 02:45 | 5 Apr 2026, 02:45 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+13:45 2026-03-30T00:00:00+13:45 2026-04-01T00:00:00+13:45 2026-04-01T00:00:00+13:45', '2026-04-06T02:45:00+12:45 2026-04-12T02:45:00+12:45 2026-05-05T02:45:00+12:45'],
  ['Pacific/Chatham', '2026-04-04T15:30:00.000Z', 'Sun 5 Apr, 04:15 | 5 Apr 2026, 04:15 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+13:45 2026-03-30T00:00:00+13:45 2026-04-01T00:00:00+13:45 2026-04-01T00:00:00+13:45', '2026-04-06T04:15:00+12:45 2026-04-12T04:15:00+12:45 2026-05-05T04:15:00+12:45'],
  ['Pacific/Chatham', '2026-09-26T13:59:00.000Z', 'Sun 27 Sep, 02:44 | 27 Sep 2026, 02:44 | 27 September | September 2026 | 2026-W39', '2026-09-27T00:00:00+12:45 2026-09-21T00:00:00+12:45 2026-09-01T00:00:00+12:45 2026-07-01T00:00:00+12:45', '2026-09-28T02:44:00+13:45 2026-10-04T02:44:00+13:45 2026-10-27T02:44:00+13:45'],
  ['Pacific/Chatham', '2026-09-26T14:00:00.000Z', 'Sun 27 Sep, 03:45 | 27 Sep 2026, 03:45 | 27 September | September 2026 | 2026-W39', '2026-09-27T00:00:00+12:45 2026-09-21T00:00:00+12:45 2026-09-01T00:00:00+12:45 2026-07-01T00:00:00+12:45', '2026-09-28T03:45:00+13:45 2026-10-04T03:45:00+13:45 2026-10-27T03:45:00+13:45'],
  ['Pacific/Chatham', '2026-09-26T15:30:00.000Z', 'Sun 27 Sep, 05:15 | 27 Sep 2026, 05:15 | 27 September | September 2026 | 2026-W39', '2026-09-27T00:00:00+12:45 2026-09-21T00:00:00+12:45 2026-09-01T00:00:00+12:45 2026-07-01T00:00:00+12:45', '2026-09-28T05:15:00+13:45 2026-10-04T05:15:00+13:45 2026-10-27T05:15:00+13:45'],
  ['Pacific/Chatham', '2026-12-31T23:59:00.000Z', 'Fri 1 Jan, 13:44 | 1 Jan 2027, 13:44 | 1 January | January 2027 | 2026-W53', '2027-01-01T00:00:00+13:45 2026-12-28T00:00:00+13:45 2027-01-01T00:00:00+13:45 2027-01-01T00:00:00+13:45', '2027-01-02T13:44:00+13:45 2027-01-08T13:44:00+13:45 2027-02-01T13:44:00+13:45'],
  ['Pacific/Chatham', '2027-01-03T12:00:00.000Z', 'Mon 4 Jan, 01:45 | 4 Jan 2027, 01:45 | 4 January | January 2027 | 2027-W01', '2027-01-04T00:00:00+13:45 2027-01-04T00:00:00+13:45 2027-01-01T00:00:00+13:45 2027-01-01T00:00:00+13:45', '2027-01-05T01:45:00+13:45 2027-01-11T01:45:00+13:45 2027-02-04T01:45:00+13:45'],
  ['Pacific/Chatham', '2028-02-29T10:30:00.000Z', 'Wed 1 Mar, 00:15 | 1 Mar 2028, 00:15 | 1 March | March 2028 | 2028-W09', '2028-03-01T00:00:00+13:45 2028-02-28T00:00:00+13:45 2028-03-01T00:00:00+13:45 2028-01-01T00:00:00+13:45', '2028-03-02T00:15:00+13:45 2028-03-08T00:15:00+13:45 2028-04-01T00:15:00+13:45'],
  ['America/Santiago', '2026-01-01T00:00:00.000Z', 'Wed 31 Dec, 21:00 | 31 Dec 2025, 21:00 | 31 December | December 2025 | 2026-W01', '2025-12-31T00:00:00-03:00 2025-12-29T00:00:00-03:00 2025-12-01T00:00:00-03:00 2025-10-01T00:00:00-03:00', '2026-01-01T21:00:00-03:00 2026-01-07T21:00:00-03:00 2026-01-31T21:00:00-03:00'],
  ['America/Santiago', '2026-04-05T02:59:00.000Z', 'Sat 4 Apr, 23:59 | 4 Apr 2026, 23:59 | 4 April | April 2026 | 2026-W14', '2026-04-04T00:00:00-03:00 2026-03-30T00:00:00-03:00 2026-04-01T00:00:00-03:00 2026-04-01T00:00:00-03:00', '2026-04-05T23:59:00-04:00 2026-04-11T23:59:00-04:00 2026-05-04T23:59:00-04:00'],
  ['America/Santiago', '2026-04-05T03:00:00.000Z', 'Sat 4 Apr, 23:00 | 4 Apr 2026, 23:00 | 4 April | April 2026 | 2026-W14', '2026-04-04T00:00:00-03:00 2026-03-30T00:00:00-03:00 2026-04-01T00:00:00-03:00 2026-04-01T00:00:00-03:00', '2026-04-05T23:00:00-04:00 2026-04-11T23:00:00-04:00 2026-05-04T23:00:00-04:00'],
  ['America/Santiago', '2026-04-05T04:30:00.000Z', 'Sun 5 Apr, 00:30 | 5 Apr 2026, 00:30 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00-04:00 2026-03-30T00:00:00-03:00 2026-04-01T00:00:00-03:00 2026-04-01T00:00:00-03:00', '2026-04-06T00:30:00-04:00 2026-04-12T00:30:00-04:00 2026-05-05T00:30:00-04:00'],
  ['America/Santiago', '2026-09-06T03:59:00.000Z', 'Sat 5 Sep, 23:59 | 5 Sep 2026, 23:59 | 5 September | September 2026 | 2026-W36', '2026-09-05T00:00:00-04:00 2026-08-31T00:00:00-04:00 2026-09-01T00:00:00-04:00 2026-07-01T00:00:00-04:00', '2026-09-06T23:59:00-03:00 2026-09-12T23:59:00-03:00 2026-10-05T23:59:00-03:00'],
  ['America/Santiago', '2026-09-06T04:00:00.000Z', 'Sun 6 Sep, 01:00 | 6 Sep 2026, 01:00 | 6 September | September 2026 | 2026-W36', '2026-09-06T01:00:00-03:00 2026-08-31T00:00:00-04:00 2026-09-01T00:00:00-04:00 2026-07-01T00:00:00-04:00', '2026-09-07T01:00:00-03:00 2026-09-13T01:00:00-03:00 2026-10-06T01:00:00-03:00'],
  ['America/Santiago', '2026-09-06T05:30:00.000Z', 'Sun 6 Sep, 02:30 | 6 Sep 2026, 02:30 | 6 September | September 2026 | 2026-W36', '2026-09-06T01:00:00-03:00 2026-08-31T00:00:00-04:00 2026-09-01T00:00:00-04:00 2026-07-01T00:00:00-04:00', '2026-09-07T02:30:00-03:00 2026-09-13T02:30:00-03:00 2026-10-06T02:30:00-03:00'],
  ['America/Santiago', '2026-12-31T23:59:00.000Z', 'Thu 31 Dec, 20:59 | 31 Dec 2026, 20:59 | 31 December | December 2026 | 2026-W53', '2026-12-31T00:00:00-03:00 2026-12-28T00:00:00-03:00 2026-12-01T00:00:00-03:00 2026-10-01T00:00:00-03:00', '2027-01-01T20:59:00-03:00 2027-01-07T20:59:00-03:00 2027-01-31T20:59:00-03:00'],
  ['America/Santiago', '2027-01-03T12:00:00.000Z', 'Sun 3 Jan, 09:00 | 3 Jan 2027, 09:00 | 3 January | January 2027 | 2026-W53', '2027-01-03T00:00:00-03:00 2026-12-28T00:00:00-03:00 2027-01-01T00:00:00-03:00 2027-01-01T00:00:00-03:00', '2027-01-04T09:00:00-03:00 2027-01-10T09:00:00-03:00 2027-02-03T09:00:00-03:00'],
  ['America/Santiago', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 07:30 | 29 Feb 2028, 07:30 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00-03:00 2028-02-28T00:00:00-03:00 2028-02-01T00:00:00-03:00 2028-01-01T00:00:00-03:00', '2028-03-01T07:30:00-03:00 2028-03-07T07:30:00-03:00 2028-03-29T07:30:00-03:00'],
  ['Pacific/Auckland', '2026-01-01T00:00:00.000Z', 'Thu 1 Jan, 13:00 | 1 Jan 2026, 13:00 | 1 January | January 2026 | 2026-W01', '2026-01-01T00:00:00+13:00 2025-12-29T00:00:00+13:00 2026-01-01T00:00:00+13:00 2026-01-01T00:00:00+13:00', '2026-01-02T13:00:00+13:00 2026-01-08T13:00:00+13:00 2026-02-01T13:00:00+13:00'],
  ['Pacific/Auckland', '2026-04-04T13:59:00.000Z', 'Sun 5 Apr, 02:59 | 5 Apr 2026, 02:59 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+13:00 2026-03-30T00:00:00+13:00 2026-04-01T00:00:00+13:00 2026-04-01T00:00:00+13:00', '2026-04-06T02:59:00+12:00 2026-04-12T02:59:00+12:00 2026-05-05T02:59:00+12:00'],
  ['Pacific/Auckland', '2026-04-04T14:00:00.000Z', 'Sun 5 Apr, 02:00 | 5 Apr 2026, 02:00 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+13:00 2026-03-30T00:00:00+13:00 2026-04-01T00:00:00+13:00 2026-04-01T00:00:00+13:00', '2026-04-06T02:00:00+12:00 2026-04-12T02:00:00+12:00 2026-05-05T02:00:00+12:00'],
  ['Pacific/Auckland', '2026-04-04T15:30:00.000Z', 'Sun 5 Apr, 03:30 | 5 Apr 2026, 03:30 | 5 April | April 2026 | 2026-W14', '2026-04-05T00:00:00+13:00 2026-03-30T00:00:00+13:00 2026-04-01T00:00:00+13:00 2026-04-01T00:00:00+13:00', '2026-04-06T03:30:00+12:00 2026-04-12T03:30:00+12:00 2026-05-05T03:30:00+12:00'],
  ['Pacific/Auckland', '2026-09-26T13:59:00.000Z', 'Sun 27 Sep, 01:59 | 27 Sep 2026, 01:59 | 27 September | September 2026 | 2026-W39', '2026-09-27T00:00:00+12:00 2026-09-21T00:00:00+12:00 2026-09-01T00:00:00+12:00 2026-07-01T00:00:00+12:00', '2026-09-28T01:59:00+13:00 2026-10-04T01:59:00+13:00 2026-10-27T01:59:00+13:00'],
  ['Pacific/Auckland', '2026-09-26T14:00:00.000Z', 'Sun 27 Sep, 03:00 | 27 Sep 2026, 03:00 | 27 September | September 2026 | 2026-W39', '2026-09-27T00:00:00+12:00 2026-09-21T00:00:00+12:00 2026-09-01T00:00:00+12:00 2026-07-01T00:00:00+12:00', '2026-09-28T03:00:00+13:00 2026-10-04T03:00:00+13:00 2026-10-27T03:00:00+13:00'],
  ['Pacific/Auckland', '2026-09-26T15:30:00.000Z', 'Sun 27 Sep, 04:30 | 27 Sep 2026, 04:30 | 27 September | September 2026 | 2026-W39', '2026-09-27T00:00:00+12:00 2026-09-21T00:00:00+12:00 2026-09-01T00:00:00+12:00 2026-07-01T00:00:00+12:00', '2026-09-28T04:30:00+13:00 2026-10-04T04:30:00+13:00 2026-10-27T04:30:00+13:00'],
  ['Pacific/Auckland', '2026-12-31T23:59:00.000Z', 'Fri 1 Jan, 12:59 | 1 Jan 2027, 12:59 | 1 January | January 2027 | 2026-W53', '2027-01-01T00:00:00+13:00 2026-12-28T00:00:00+13:00 2027-01-01T00:00:00+13:00 2027-01-01T00:00:00+13:00', '2027-01-02T12:59:00+13:00 2027-01-08T12:59:00+13:00 2027-02-01T12:59:00+13:00'],
  ['Pacific/Auckland', '2027-01-03T12:00:00.000Z', 'Mon 4 Jan, 01:00 | 4 Jan 2027, 01:00 | 4 January | January 2027 | 2027-W01', '2027-01-04T00:00:00+13:00 2027-01-04T00:00:00+13:00 2027-01-01T00:00:00+13:00 2027-01-01T00:00:00+13:00', '2027-01-05T01:00:00+13:00 2027-01-11T01:00:00+13:00 2027-02-04T01:00:00+13:00'],
  ['Pacific/Auckland', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 23:30 | 29 Feb 2028, 23:30 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00+13:00 2028-02-28T00:00:00+13:00 2028-02-01T00:00:00+13:00 2028-01-01T00:00:00+13:00', '2028-03-01T23:30:00+13:00 2028-03-07T23:30:00+13:00 2028-03-29T23:30:00+13:00'],
  ['UTC', '2026-01-01T00:00:00.000Z', 'Thu 1 Jan, 00:00 | 1 Jan 2026, 00:00 | 1 January | January 2026 | 2026-W01', '2026-01-01T00:00:00Z 2025-12-29T00:00:00Z 2026-01-01T00:00:00Z 2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z 2026-01-08T00:00:00Z 2026-02-01T00:00:00Z'],
  ['UTC', '2026-12-31T23:59:00.000Z', 'Thu 31 Dec, 23:59 | 31 Dec 2026, 23:59 | 31 December | December 2026 | 2026-W53', '2026-12-31T00:00:00Z 2026-12-28T00:00:00Z 2026-12-01T00:00:00Z 2026-10-01T00:00:00Z', '2027-01-01T23:59:00Z 2027-01-07T23:59:00Z 2027-01-31T23:59:00Z'],
  ['UTC', '2027-01-03T12:00:00.000Z', 'Sun 3 Jan, 12:00 | 3 Jan 2027, 12:00 | 3 January | January 2027 | 2026-W53', '2027-01-03T00:00:00Z 2026-12-28T00:00:00Z 2027-01-01T00:00:00Z 2027-01-01T00:00:00Z', '2027-01-04T12:00:00Z 2027-01-10T12:00:00Z 2027-02-03T12:00:00Z'],
  ['UTC', '2028-02-29T10:30:00.000Z', 'Tue 29 Feb, 10:30 | 29 Feb 2028, 10:30 | 29 February | February 2028 | 2028-W09', '2028-02-29T00:00:00Z 2028-02-28T00:00:00Z 2028-02-01T00:00:00Z 2028-01-01T00:00:00Z', '2028-03-01T10:30:00Z 2028-03-07T10:30:00Z 2028-03-29T10:30:00Z'],
];

describe('matches what luxon produced', () => {
  /** As luxon's toISO({ suppressMilliseconds: true }), which writes the UTC zone's offset as Z. */
  const isoWithOffset = (ms: number, tz: string) =>
    `${formatInZone(ms, tz, "yyyy-LL-dd'T'HH:mm")}:${String(localParts(ms, tz).second).padStart(2, '0')}${tz === 'UTC' ? 'Z' : show(ms, tz).slice(-6)}`;

  it.each(LUXON)('%s %s', (tz, instant, formats, starts, plus) => {
    const at = t(instant);
    expect([formatInZone(at, tz, 'ccc d LLL, HH:mm'), formatInZone(at, tz, 'd LLL yyyy, HH:mm'), formatInZone(at, tz, 'd LLLL'), formatInZone(at, tz, 'LLLL yyyy'), isoWeekKey(at, tz)].join(' | ')).toBe(formats);
    expect([startOfLocalDay, startOfLocalWeek, startOfLocalMonth, startOfLocalQuarter].map((f) => isoWithOffset(f(at, tz), tz)).join(' ')).toBe(starts);
    expect([addLocalDays(at, tz, 1), addLocalDays(at, tz, 7), addLocalMonths(at, tz, 1)].map((ms) => isoWithOffset(ms, tz)).join(' ')).toBe(plus);
  });
});
