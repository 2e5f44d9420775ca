import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CadenceSettings, StepKind, Weekday } from '../../../src/domain/types.js';
import { localIsoDate, localParts, parseIsoInZone, zoneOffset } from '../../../src/domain/zoned-time.js';
import {
  addDelay,
  dueFor,
  InvalidBusinessHoursError,
  InvalidTimeZoneError,
  isWithinBusinessHours,
  nextBusinessDayStart,
  nextDigestTime,
  separateChaseSlots,
  snapToBusinessHours,
  STEP_TIMING,
  type BusinessHours,
} from '../../../src/schedule/business-hours.js';
import { DEFAULT_SETTINGS } from '../../../src/schedule/cadence.js';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const AUCKLAND = 'Pacific/Auckland';
const WEEKDAYS: BusinessHours = DEFAULT_SETTINGS.businessHours;
const EVERY_DAY: Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** An instant given as local wall time in a zone, e.g. at('2026-03-27T17:30', LONDON). */
function at(localIso: string, tz: string): Date {
  const ms = parseIsoInZone(localIso, tz);
  if (ms === undefined) throw new Error(`bad test time ${localIso}`);
  return new Date(ms);
}

/** The instant as local time with offset, so a wrong DST offset shows in the assertion. */
function show(date: Date, tz: string): string {
  const p = localParts(date, tz);
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = zoneOffset(tz, date);
  const sign = offset < 0 ? '-' : '+';
  const ms = p.millisecond ? `.${String(p.millisecond).padStart(3, '0')}` : '';
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${ms}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
}

describe('snapToBusinessHours', () => {
  it('leaves an instant inside business hours unchanged', () => {
    // Prepare
    const tuesday = at('2026-03-10T10:17:42.123', LONDON);

    // Act
    const result = snapToBusinessHours(tuesday, LONDON, WEEKDAYS);

    // Assess
    expect(result.getTime()).toBe(tuesday.getTime());
    expect(result).not.toBe(tuesday);
  });

  it('treats the start as inside and the end as outside', () => {
    expect(show(snapToBusinessHours(at('2026-03-10T08:00', LONDON), LONDON, WEEKDAYS), LONDON)).toBe('2026-03-10T08:00:00+00:00');
    expect(show(snapToBusinessHours(at('2026-03-10T17:59:59', LONDON), LONDON, WEEKDAYS), LONDON)).toBe('2026-03-10T17:59:59+00:00');
    expect(show(snapToBusinessHours(at('2026-03-10T18:00', LONDON), LONDON, WEEKDAYS), LONDON)).toBe('2026-03-11T08:00:00+00:00');
  });

  it('moves an instant before the start to the start of that day', () => {
    const result = snapToBusinessHours(at('2026-06-02T06:30', LONDON), LONDON, WEEKDAYS);
    expect(show(result, LONDON)).toBe('2026-06-02T08:00:00+01:00');
  });

  it('moves an instant after the end to the next business day', () => {
    const result = snapToBusinessHours(at('2026-06-02T21:15', LONDON), LONDON, WEEKDAYS);
    expect(show(result, LONDON)).toBe('2026-06-03T08:00:00+01:00');
  });

  it.each([
    ['Friday evening', '2026-06-05T18:30'],
    ['Saturday', '2026-06-06T11:00'],
    ['Sunday late', '2026-06-07T23:59'],
  ])('moves %s to Monday 08:00', (_label, local) => {
    expect(show(snapToBusinessHours(at(local, LONDON), LONDON, WEEKDAYS), LONDON)).toBe('2026-06-08T08:00:00+01:00');
  });

  describe('Europe/London DST (last Sunday of March and October)', () => {
    it('lands on Monday 08:00 BST after the spring-forward weekend', () => {
      const result = snapToBusinessHours(at('2026-03-27T19:00', LONDON), LONDON, WEEKDAYS);
      expect(show(result, LONDON)).toBe('2026-03-30T08:00:00+01:00');
      expect(result.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    });

    it('lands on Monday 08:00 GMT after the fall-back weekend', () => {
      const result = snapToBusinessHours(at('2026-10-23T18:30', LONDON), LONDON, WEEKDAYS);
      expect(show(result, LONDON)).toBe('2026-10-26T08:00:00+00:00');
      expect(result.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    });

    it('snaps on the change day itself with the new offset', () => {
      const everyDay = { ...WEEKDAYS, days: EVERY_DAY };
      expect(snapToBusinessHours(at('2026-03-29T00:30', LONDON), LONDON, everyDay).toISOString()).toBe('2026-03-29T07:00:00.000Z');
      expect(snapToBusinessHours(at('2026-10-25T00:30', LONDON), LONDON, everyDay).toISOString()).toBe('2026-10-25T08:00:00.000Z');
    });
  });

  describe('America/New_York DST (second Sunday of March, first of November)', () => {
    it('lands on Monday 08:00 EDT after the spring-forward weekend', () => {
      const result = snapToBusinessHours(at('2026-03-07T12:00', NEW_YORK), NEW_YORK, WEEKDAYS);
      expect(show(result, NEW_YORK)).toBe('2026-03-09T08:00:00-04:00');
      expect(result.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    });

    it('lands on Monday 08:00 EST after the fall-back weekend', () => {
      const result = snapToBusinessHours(at('2026-10-30T19:00', NEW_YORK), NEW_YORK, WEEKDAYS);
      expect(show(result, NEW_YORK)).toBe('2026-11-02T08:00:00-05:00');
      expect(result.toISOString()).toBe('2026-11-02T13:00:00.000Z');
    });

    it('moves a start that falls in the spring-forward gap to the end of the gap', () => {
      const hours: BusinessHours = { start: '02:30', end: '18:00', days: EVERY_DAY };
      const result = snapToBusinessHours(at('2026-03-08T01:00', NEW_YORK), NEW_YORK, hours);
      expect(show(result, NEW_YORK)).toBe('2026-03-08T03:00:00-04:00');
    });

    it('picks the right occurrence of a start inside the fall-back hour', () => {
      const hours: BusinessHours = { start: '01:30', end: '18:00', days: EVERY_DAY };
      // 01:10 happens twice on 1 Nov 2026: 05:10Z (EDT) and 06:10Z (EST).
      const firstPass = snapToBusinessHours(new Date('2026-11-01T05:10:00Z'), NEW_YORK, hours);
      const secondPass = snapToBusinessHours(new Date('2026-11-01T06:10:00Z'), NEW_YORK, hours);
      expect(firstPass.toISOString()).toBe('2026-11-01T05:30:00.000Z');
      expect(secondPass.toISOString()).toBe('2026-11-01T06:30:00.000Z');
    });
  });

  describe('Pacific/Auckland', () => {
    it('lands on Monday 08:00 NZST after DST ends (first Sunday of April)', () => {
      const result = snapToBusinessHours(at('2026-04-03T18:30', AUCKLAND), AUCKLAND, WEEKDAYS);
      expect(show(result, AUCKLAND)).toBe('2026-04-06T08:00:00+12:00');
      expect(result.toISOString()).toBe('2026-04-05T20:00:00.000Z');
    });

    it('lands on Monday 08:00 NZDT after DST starts (last Sunday of September)', () => {
      const result = snapToBusinessHours(at('2026-09-25T19:00', AUCKLAND), AUCKLAND, WEEKDAYS);
      expect(show(result, AUCKLAND)).toBe('2026-09-28T08:00:00+13:00');
      expect(result.toISOString()).toBe('2026-09-27T19:00:00.000Z');
    });

    it("judges the day in the group's timezone, not UTC", () => {
      // Sunday 20:00 UTC is Monday 09:00 in Auckland and Sunday 21:00 in London.
      const instant = new Date('2026-03-08T20:00:00Z');
      expect(snapToBusinessHours(instant, AUCKLAND, WEEKDAYS).toISOString()).toBe(instant.toISOString());
      expect(show(snapToBusinessHours(instant, LONDON, WEEKDAYS), LONDON)).toBe('2026-03-09T08:00:00+00:00');
    });
  });

  describe('custom business days', () => {
    const sundayToThursday: BusinessHours = { start: '08:30', end: '17:00', days: [7, 1, 2, 3, 4] };
    const jerusalem = 'Asia/Jerusalem';

    it('moves Thursday after hours to Sunday', () => {
      const result = snapToBusinessHours(at('2026-06-04T17:30', jerusalem), jerusalem, sundayToThursday);
      expect(show(result, jerusalem)).toBe('2026-06-07T08:30:00+03:00');
    });

    it('moves Friday to Sunday and keeps Sunday', () => {
      expect(show(snapToBusinessHours(at('2026-06-05T10:00', jerusalem), jerusalem, sundayToThursday), jerusalem)).toBe(
        '2026-06-07T08:30:00+03:00',
      );
      const sunday = at('2026-06-07T09:00', jerusalem);
      expect(snapToBusinessHours(sunday, jerusalem, sundayToThursday).getTime()).toBe(sunday.getTime());
    });

    it('handles a single business day a week', () => {
      const wednesdaysOnly: BusinessHours = { start: '09:00', end: '12:00', days: [3] };
      const result = snapToBusinessHours(at('2026-06-03T12:00', LONDON), LONDON, wednesdaysOnly);
      expect(show(result, LONDON)).toBe('2026-06-10T09:00:00+01:00');
    });
  });

  it('refuses an unknown timezone, impossible hours and an invalid date', () => {
    const now = new Date('2026-06-02T10:00:00Z');
    expect(() => snapToBusinessHours(now, 'Mars/Olympus_Mons', WEEKDAYS)).toThrow(InvalidTimeZoneError);
    expect(() => snapToBusinessHours(now, LONDON, { start: '18:00', end: '08:00', days: [1] })).toThrow(InvalidBusinessHoursError);
    expect(() => snapToBusinessHours(now, LONDON, { start: '08:00', end: '18:00', days: [] })).toThrow(InvalidBusinessHoursError);
    expect(() => snapToBusinessHours(new Date(Number.NaN), LONDON, WEEKDAYS)).toThrow(RangeError);
  });
});

describe('nextBusinessDayStart', () => {
  it.each([
    ['Monday mid-morning', '2026-06-01T10:00', '2026-06-02T08:00:00+01:00'],
    ['Monday before the start (never the same day)', '2026-06-01T07:00', '2026-06-02T08:00:00+01:00'],
    ['Friday noon', '2026-06-05T12:00', '2026-06-08T08:00:00+01:00'],
    ['Saturday', '2026-06-06T12:00', '2026-06-08T08:00:00+01:00'],
    ['Friday before the spring change', '2026-03-27T09:00', '2026-03-30T08:00:00+01:00'],
  ])('from %s', (_label, local, expected) => {
    expect(show(nextBusinessDayStart(at(local, LONDON), LONDON, WEEKDAYS), LONDON)).toBe(expected);
  });
});

describe('separateChaseSlots', () => {
  it('keeps a candidate whose day is free (only snapping it)', () => {
    const result = separateChaseSlots(at('2026-06-02T19:00', LONDON), [at('2026-06-02T10:00', LONDON)], LONDON, WEEKDAYS);
    expect(show(result, LONDON)).toBe('2026-06-03T08:00:00+01:00');
  });

  it('moves a candidate that shares a day with another chase to the next business day', () => {
    const result = separateChaseSlots(at('2026-06-02T15:00', LONDON), [at('2026-06-02T09:00', LONDON)], LONDON, WEEKDAYS);
    expect(show(result, LONDON)).toBe('2026-06-03T08:00:00+01:00');
  });

  it('keeps moving past every taken day, over the weekend', () => {
    const others = [at('2026-06-04T08:00', LONDON), at('2026-06-05T11:00', LONDON), at('2026-06-08T08:00', LONDON)];
    const result = separateChaseSlots(at('2026-06-04T16:00', LONDON), others, LONDON, WEEKDAYS);
    expect(show(result, LONDON)).toBe('2026-06-09T08:00:00+01:00');
  });

  it('defines a slot as a calendar day in the group timezone', () => {
    // 23:30 UTC on Monday is already Tuesday 00:30 in London (BST).
    const others = [new Date('2026-06-01T23:30:00Z')];
    const result = separateChaseSlots(at('2026-06-02T10:00', LONDON), others, LONDON, WEEKDAYS);
    expect(show(result, LONDON)).toBe('2026-06-03T08:00:00+01:00');
  });
});

describe('dueFor', () => {
  const tuesday10 = at('2026-06-02T10:00', LONDON);
  const cases: [StepKind, Date, string][] = [
    ['thank_you_prompt', at('2026-06-05T17:30', LONDON), '2026-06-05T18:30:00+01:00'], // not b.h.
    ['intro', at('2026-06-05T17:30', LONDON), '2026-06-08T08:00:00+01:00'], // Friday 17:30 + 2 h → Monday 08:00
    ['intro', tuesday10, '2026-06-02T12:00:00+01:00'],
    ['contact_reminder', tuesday10, '2026-06-03T10:00:00+01:00'],
    ['escalation', tuesday10, '2026-06-04T10:00:00+01:00'],
    ['connection_check', tuesday10, '2026-06-05T10:00:00+01:00'],
    ['progress_request', tuesday10, '2026-06-09T10:00:00+01:00'],
    ['experience_check', at('2026-06-04T10:00', LONDON), '2026-06-08T08:00:00+01:00'], // Saturday → Monday
    ['needs_info_reminder', at('2026-06-05T20:00', LONDON), '2026-06-07T20:00:00+01:00'], // not b.h.: Sunday is fine
    ['needs_info_expiry', tuesday10, '2026-06-16T10:00:00+01:00'],
  ];

  it.each(cases)('places %s from %s with the default cadence', (kind, anchor, expected) => {
    expect(show(dueFor(kind, anchor, DEFAULT_SETTINGS, LONDON), LONDON)).toBe(expected);
  });

  it('counts days as calendar days (same wall time across DST)', () => {
    const result = dueFor('connection_check', at('2026-03-27T14:00', LONDON), DEFAULT_SETTINGS, LONDON);
    expect(show(result, LONDON)).toBe('2026-03-30T14:00:00+01:00');
  });

  it('counts hours as elapsed time across DST', () => {
    const everyDay: CadenceSettings = { ...DEFAULT_SETTINGS, businessHours: { ...WEEKDAYS, days: EVERY_DAY } };
    const result = dueFor('contact_reminder', at('2026-03-28T12:00', LONDON), everyDay, LONDON);
    expect(show(result, LONDON)).toBe('2026-03-29T13:00:00+01:00');
  });

  it('keeps an intro on Friday from stacking the reminder, escalation and check on Monday', () => {
    // Prepare: intro Friday 10:00; +24 h and +48 h fall on the weekend, +3 days on Monday.
    const intro = at('2026-06-05T10:00', LONDON);

    // Act
    const reminder = dueFor('contact_reminder', intro, DEFAULT_SETTINGS, LONDON);
    const escalation = dueFor('escalation', intro, DEFAULT_SETTINGS, LONDON, { otherChaseDues: [reminder] });
    const check = dueFor('connection_check', intro, DEFAULT_SETTINGS, LONDON, { otherChaseDues: [reminder, escalation] });

    // Assess
    expect(show(reminder, LONDON)).toBe('2026-06-08T08:00:00+01:00');
    expect(show(escalation, LONDON)).toBe('2026-06-09T08:00:00+01:00');
    expect(show(check, LONDON)).toBe('2026-06-10T08:00:00+01:00');
  });

  it('does not separate kinds that are not chase emails', () => {
    const other = at('2026-06-08T09:00', LONDON);
    const result = dueFor('experience_check', at('2026-06-04T10:00', LONDON), DEFAULT_SETTINGS, LONDON, { otherChaseDues: [other] });
    expect(show(result, LONDON)).toBe('2026-06-08T08:00:00+01:00');
  });

  it("uses the group's own cadence and an explicit delay (snooze)", () => {
    const quick: CadenceSettings = { ...DEFAULT_SETTINGS, contactReminderHours: 4 };
    expect(show(dueFor('contact_reminder', tuesday10, quick, LONDON), LONDON)).toBe('2026-06-02T14:00:00+01:00');
    const snoozed = dueFor('progress_request', at('2026-06-03T16:00', LONDON), DEFAULT_SETTINGS, LONDON, { delay: { days: 14 } });
    expect(show(snoozed, LONDON)).toBe('2026-06-17T16:00:00+01:00');
  });

  it('refuses a negative delay', () => {
    expect(() => addDelay(tuesday10, { hours: -1 }, LONDON)).toThrow(RangeError);
  });
});

describe('nextDigestTime', () => {
  it.each([
    ['Sunday before a DST Monday', '2026-03-29T12:00', '2026-03-30T08:00:00+01:00'],
    ['Monday just before', '2026-06-01T07:59:59', '2026-06-01T08:00:00+01:00'],
    ['Monday at exactly 08:00 (plans the next week)', '2026-06-01T08:00', '2026-06-08T08:00:00+01:00'],
    ['Monday afternoon', '2026-06-01T15:00', '2026-06-08T08:00:00+01:00'],
    ['Friday before the autumn change', '2026-10-23T12:00', '2026-10-26T08:00:00+00:00'],
  ])('from %s', (_label, local, expected) => {
    expect(show(nextDigestTime(at(local, LONDON), LONDON, 1, 8), LONDON)).toBe(expected);
  });

  it('uses the group timezone and its chosen day and hour', () => {
    const result = nextDigestTime(new Date('2026-04-02T12:00:00Z'), AUCKLAND, 5, 16);
    expect(show(result, AUCKLAND)).toBe('2026-04-03T16:00:00+13:00');
  });

  it('refuses an hour outside 0–23', () => {
    expect(() => nextDigestTime(new Date(), LONDON, 1, 24)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const zones = [
    LONDON,
    NEW_YORK,
    AUCKLAND,
    'Australia/Lord_Howe', // 30-minute DST shift
    'Pacific/Chatham', // +12:45 / +13:45
    'America/Sao_Paulo',
    'America/St_Johns',
    'Asia/Kolkata',
    'Asia/Jerusalem',
    'UTC',
  ];
  const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
  const hoursArb: fc.Arbitrary<BusinessHours> = fc
    .tuple(
      fc.integer({ min: 0, max: 24 * 4 - 2 }),
      fc.integer({ min: 1, max: 24 * 4 - 1 }),
      fc.uniqueArray(fc.constantFrom<Weekday>(1, 2, 3, 4, 5, 6, 7), { minLength: 1, maxLength: 7 }),
    )
    .filter(([start, end]) => start < end)
    .map(([start, end, days]) => ({ start: quarterClock(start), end: quarterClock(end), days }));

  function quarterClock(quarter: number): string {
    const minutes = quarter * 15;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }

  it('snaps to an instant never before the input, always inside business hours, and as early as possible', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), hoursArb, (input, tz, hours) => {
        const result = snapToBusinessHours(input, tz, hours);
        expect(result.getTime()).toBeGreaterThanOrEqual(input.getTime());
        expect(isWithinBusinessHours(result, tz, hours)).toBe(true);
        if (isWithinBusinessHours(input, tz, hours)) expect(result.getTime()).toBe(input.getTime());
        // Nothing between input and result was business time: the instant just before is outside.
        const justBefore = new Date(result.getTime() - 1);
        if (justBefore.getTime() >= input.getTime()) expect(isWithinBusinessHours(justBefore, tz, hours)).toBe(false);
        expect(snapToBusinessHours(result, tz, hours).getTime()).toBe(result.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('separates a chase from every other chase day while staying in business hours', () => {
    fc.assert(
      fc.property(instant, fc.array(instant, { maxLength: 6 }), fc.constantFrom(...zones), hoursArb, (candidate, others, tz, hours) => {
        const result = separateChaseSlots(candidate, others, tz, hours);
        const day = (d: Date) => localIsoDate(d, tz);
        expect(result.getTime()).toBeGreaterThanOrEqual(candidate.getTime());
        expect(isWithinBusinessHours(result, tz, hours)).toBe(true);
        expect(others.map(day)).not.toContain(day(result));
      }),
      { numRuns: 300 },
    );
  });

  it('places every step at or after its anchor plus its delay', () => {
    const kinds: StepKind[] = [
      'thank_you_prompt',
      'intro',
      'contact_reminder',
      'escalation',
      'connection_check',
      'progress_request',
      'experience_check',
      'needs_info_reminder',
      'needs_info_expiry',
    ];
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), fc.constantFrom(...kinds), (anchor, tz, kind) => {
        const due = dueFor(kind, anchor, DEFAULT_SETTINGS, tz);
        const earliest = addDelay(anchor, STEP_TIMING[kind].delay(DEFAULT_SETTINGS), tz);
        expect(earliest.getTime()).toBeGreaterThan(anchor.getTime());
        if (STEP_TIMING[kind].businessHours) {
          expect(due.getTime()).toBeGreaterThanOrEqual(earliest.getTime());
          expect(isWithinBusinessHours(due, tz, DEFAULT_SETTINGS.businessHours)).toBe(true);
        } else {
          expect(due.getTime()).toBe(earliest.getTime());
        }
      }),
      { numRuns: 300 },
    );
  });
});
