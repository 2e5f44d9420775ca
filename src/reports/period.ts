/**
 * Report periods: `this week`, `this month`, `this quarter`, or custom `from`/`to` dates, all read in
 * the group's timezone. A period is half-open, [from, to): `from=2026-03-01&to=2026-04-01` is March,
 * so consecutive periods never count a referral twice. Pure.
 */
import { DateTime } from 'luxon';
import * as z from 'zod';

export const PERIODS = ['this_week', 'this_month', 'this_quarter'] as const;
export type PeriodName = (typeof PERIODS)[number];

/** Longest custom period: two years (longer reports get slow and say little). */
export const MAX_PERIOD_YEARS = 2;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as YYYY-MM-DD that really exists (no 2026-02-30). */
export const isoDateSchema = z
  .string()
  .trim()
  .regex(DATE, 'must be a date as YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'UTC' }).isValid, 'is not a real date');

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
    period: z.preprocess(normalisePeriod, z.enum(PERIODS).optional()),
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['period'], message: 'give either period or from/to, not both' });
    if (q.to && !q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from is needed with to' });
    if (q.from && q.to && DATE.test(q.from) && DATE.test(q.to)) {
      const from = DateTime.fromISO(q.from, { zone: 'UTC' });
      const to = DateTime.fromISO(q.to, { zone: 'UTC' });
      if (!from.isValid || !to.isValid) return;
      if (from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
      else if (to > from.plus({ years: MAX_PERIOD_YEARS })) ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${MAX_PERIOD_YEARS} years` });
    }
  });
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
  return DateTime.fromISO(date, { zone: timezone }).startOf('day').toJSDate();
}

/** Half-open period [from, to) from the query; with nothing given, this month. */
export function resolvePeriod(query: ReportQuery, timezone: string, now: Date): ReportPeriod {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (query.from) {
    const to = query.to ?? local.plus({ days: 1 }).toISODate()!;
    return custom(query.from, to, timezone);
  }
  const period = query.period ?? 'this_month';
  const unit = period === 'this_week' ? 'week' : period === 'this_month' ? 'month' : 'quarter';
  const start = local.startOf(unit); // luxon weeks start on Monday (ISO)
  const end = start.plus(unit === 'week' ? { weeks: 1 } : unit === 'month' ? { months: 1 } : { quarters: 1 });
  const label = unit === 'week' ? `week of ${start.toFormat('d LLLL yyyy')}` : unit === 'month' ? start.toFormat('LLLL yyyy') : `Q${start.quarter} ${start.year}`;
  return { from: start.toISODate()!, to: end.toISODate()!, fromInstant: start.toJSDate(), toInstant: end.toJSDate(), label, period };
}

function custom(from: string, to: string, timezone: string): ReportPeriod {
  const start = DateTime.fromISO(from, { zone: timezone });
  const lastDay = DateTime.fromISO(to, { zone: timezone }).minus({ days: 1 });
  const label =
    lastDay < start
      ? `no days (${start.toFormat('d LLL yyyy')})`
      : start.hasSame(lastDay, 'day')
        ? start.toFormat('d LLL yyyy')
        : `${start.toFormat(start.year === lastDay.year ? 'd LLL' : 'd LLL yyyy')} – ${lastDay.toFormat('d LLL yyyy')}`;
  return { from, to, fromInstant: localMidnight(from, timezone), toInstant: localMidnight(to, timezone), label };
}

/** The group-local calendar date of an instant, YYYY-MM-DD. */
export function localDate(at: Date | string, timezone: string): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at, { zone: timezone }) : DateTime.fromJSDate(at, { zone: timezone });
  return dt.toISODate()!;
}

/** ISO week of an instant in the group's timezone, e.g. "2026-W10" (claim keys, rotation). */
export function isoWeek(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat("kkkk-'W'WW");
}
