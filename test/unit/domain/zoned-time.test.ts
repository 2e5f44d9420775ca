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
