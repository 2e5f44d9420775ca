/**
 * Report periods: `this week`, `this month`, `this quarter`, or custom `from`/`to` dates, all read in
 * the group's timezone. A period is half-open, [from, to): `from=2026-03-01&to=2026-04-01` is March,
 * so consecutive periods never count a referral twice. Pure.
 */
import * as z from '../config/zod.js';
import {
  addCalendarDays,
  addCalendarMonths,
  addLocalDays,
  addLocalMonths,
  compareCalendarDates,
  formatCalendarDate,
  formatInZone,
  localIsoDate,
  localParts,
  parseIsoDate,
  parseIsoInZone,
  quarterOf,
  startOfLocalDay,
  startOfLocalMonth,
  startOfLocalQuarter,
  startOfLocalWeek,
} from '../domain/zoned-time.js';

export const PERIODS = ['this_week', 'this_month', 'this_quarter'] as const;
export type PeriodName = (typeof PERIODS)[number];

/** Longest custom period: two years (longer reports get slow and say little). */
export const MAX_PERIOD_YEARS = 2;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as YYYY-MM-DD that really exists (no 2026-02-30). */
export const isoDateSchema = z.string().check(
  z.trim(),
  z.regex(DATE, 'must be a date as YYYY-MM-DD'),
  z.refine((s) => parseIsoDate(s) !== undefined, 'is not a real date'),
);

/** "this week", "this-week", "week" → "this_week". */
function normalisePeriod(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (v === '') return undefined;
  return v.startsWith('this_') ? v : `this_${v}`;
}

/** The query of `GET /reports/summary` and the report page. Bad dates, from > to, > 2 years → 422. */
export const reportQuerySchema = z
  .object({
    period: z.pipe(z.transform(normalisePeriod), z.optional(z.enum(PERIODS))),
    from: z.optional(isoDateSchema),
    to: z.optional(isoDateSchema),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.period && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['period'], message: 'give either period or from/to, not both' });
      if (q.to && !q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from is needed with to' });
      if (q.from && q.to && DATE.test(q.from) && DATE.test(q.to)) {
        const from = parseIsoDate(q.from);
        const to = parseIsoDate(q.to);
        if (!from || !to) return;
        if (compareCalendarDates(from, to) > 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end date must not be before the start date' });
        else if (compareCalendarDates(to, addCalendarMonths(from, 12 * MAX_PERIOD_YEARS)) > 0) ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${MAX_PERIOD_YEARS} years` });
      }
    }),
  );
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** A resolved period: the dates as given (group timezone) and the instants they stand for. */
export interface ReportPeriod {
  /** YYYY-MM-DD, first day included. */
  from: string;
  /** YYYY-MM-DD, first day NOT included. */
  to: string;
  /** UTC instants of the group-local midnights of `from` and `to`. */
  fromInstant: Date;
  toInstant: Date;
  /** "March 2026", "week of 2 March 2026", "Q1 2026", "1 Mar – 15 Mar 2026". */
  label: string;
  period?: PeriodName;
}

/** The instant of a group-local midnight. */
export function localMidnight(date: string, timezone: string): Date {
  const at = parseIsoInZone(date, timezone);
  return new Date(at === undefined ? NaN : startOfLocalDay(at, timezone));
}

/** Half-open period [from, to) from the query; with nothing given, this month. */
export function resolvePeriod(query: ReportQuery, timezone: string, now: Date): ReportPeriod {
  if (query.from) {
    const to = query.to ?? localIsoDate(addLocalDays(now, timezone, 1), timezone);
    return custom(query.from, to, timezone);
  }
  const period = query.period ?? 'this_month';
  // Weeks start on Monday (ISO).
  const start = period === 'this_week' ? startOfLocalWeek(now, timezone) : period === 'this_month' ? startOfLocalMonth(now, timezone) : startOfLocalQuarter(now, timezone);
  const end = period === 'this_week' ? addLocalDays(start, timezone, 7) : addLocalMonths(start, timezone, period === 'this_month' ? 1 : 3);
  const first = localParts(start, timezone);
  const label =
    period === 'this_week' ? `week of ${formatInZone(start, timezone, 'd LLLL yyyy')}` : period === 'this_month' ? formatInZone(start, timezone, 'LLLL yyyy') : `Q${quarterOf(first.month)} ${first.year}`;
  return { from: localIsoDate(start, timezone), to: localIsoDate(end, timezone), fromInstant: new Date(start), toInstant: new Date(end), label, period };
}

/** `from` and `to` are real YYYY-MM-DD dates (the query schema checked them). */
function custom(from: string, to: string, timezone: string): ReportPeriod {
  const start = parseIsoDate(from)!;
  const lastDay = addCalendarDays(parseIsoDate(to)!, -1);
  const order = compareCalendarDates(lastDay, start);
  const label =
    order < 0
      ? `no days (${formatCalendarDate(start, 'd LLL yyyy')})`
      : order === 0
        ? formatCalendarDate(start, 'd LLL yyyy')
        : `${formatCalendarDate(start, start.year === lastDay.year ? 'd LLL' : 'd LLL yyyy')} – ${formatCalendarDate(lastDay, 'd LLL yyyy')}`;
  return { from, to, fromInstant: localMidnight(from, timezone), toInstant: localMidnight(to, timezone), label };
}

/** The group-local calendar date of an instant, YYYY-MM-DD. */
export function localDate(at: Date | string, timezone: string): string {
  const instant = typeof at === 'string' ? parseIsoInZone(at, timezone) : at.getTime();
  if (instant === undefined) throw new RangeError(`Not an ISO date-time: "${String(at)}"`);
  return localIsoDate(instant, timezone);
}
