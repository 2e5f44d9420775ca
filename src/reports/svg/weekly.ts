/**
 * Referrals per week: one bar per week for the referrals given (logged) that week, its darker,
 * hatched part the ones of them that were won. Numbers are printed next to the bars.
 */
import type { Referral } from '../../domain/types.js';
import { addLocalDays, formatCalendarDate, localIsoDate, parseIsoDate, parseIsoInZone, startOfLocalWeek } from '../../domain/zoned-time.js';
import { referralsInPeriod } from '../summary.js';
import { barChart, n, svgFrame, text, xmlText, type Chart } from './xml.js';

export interface WeeklyInput {
  referrals: readonly Referral[];
  /** YYYY-MM-DD, group timezone, [from, to). */
  from: string;
  to: string;
  timezone: string;
  idPrefix?: string;
  periodLabel?: string;
}

export interface WeekCount {
  /** Monday of the week, YYYY-MM-DD. */
  weekStart: string;
  given: number;
  won: number;
}

/** Given and won (of those given) per ISO week of the period; weeks with nothing are kept as zeros. */
export function weeklyCounts(input: Omit<WeeklyInput, 'idPrefix' | 'periodLabel'>): WeekCount[] {
  const { timezone } = input;
  const from = parseIsoInZone(input.from, timezone);
  const end = parseIsoInZone(input.to, timezone);
  const weeks: WeekCount[] = [];
  // Week starts as instants (local Monday midnights, DST-aware), so each referral needs only a
  // binary search instead of a timezone conversion: 5,000 referrals in well under a millisecond.
  const starts: number[] = [];
  if (from === undefined || end === undefined) return weeks;
  for (let w = startOfLocalWeek(from, timezone); w < end; w = addLocalDays(w, timezone, 7)) {
    weeks.push({ weekStart: localIsoDate(w, timezone), given: 0, won: 0 });
    starts.push(w);
  }
  for (const r of referralsInPeriod(input.referrals, input.from, input.to, input.timezone)) {
    const at = Date.parse(r.createdAt);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    const week = weeks[lo];
    if (!week || at < starts[lo]!) continue;
    week.given += 1;
    if (r.status === 'won') week.won += 1;
  }
  return weeks;
}

/** A week's Monday as "2 Mar" (or the given format). */
function weekOf(week: WeekCount, format: string): string {
  return formatCalendarDate(parseIsoDate(week.weekStart)!, format);
}

const FONT = 12;
const ROW = 24;
const WIDTH = 360;
const LABEL = 70;
const BARS = 200;

/**
 * One row per week (label, bar, numbers): horizontal bars stay readable on a phone, where a column
 * per week of a quarter would shrink to nothing.
 */
export function weeklyChart(input: WeeklyInput): Chart {
  const weeks = weeklyCounts(input);
  const id = input.idPrefix ?? 'weekly';
  const max = Math.max(1, ...weeks.map((w) => w.given));
  const top = 52;
  const height = top + weeks.length * ROW + 8;
  const x = (v: number) => LABEL + (v / max) * BARS;
  // Over a new year the labels carry it ("29 Dec 25"), so two years of weeks stay distinct.
  const format = weeks.length > 0 && weeks[0]!.weekStart.slice(0, 4) !== weeks[weeks.length - 1]!.weekStart.slice(0, 4) ? 'd LLL yy' : 'd LLL';

  const parts: string[] = [
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#125c2c"/><rect width="2" height="6" fill="#2e8b57"/></pattern></defs>`,
    // Legend: words, not colour alone; two lines so it fits a phone.
    `<rect x="${LABEL}" y="6" width="14" height="14" fill="#9cc3ec"/>`,
    text(LABEL + 20, 18, 'given that week (first number)', `font-size="${FONT}" fill="#1d232a"`),
    `<rect x="${LABEL}" y="26" width="14" height="14" fill="url(#${id}-hatch)"/>`,
    text(LABEL + 20, 38, 'of them won, hatched (in brackets)', `font-size="${FONT}" fill="#1d232a"`),
  ];
  weeks.forEach((w, i) => {
    const y = top + i * ROW;
    const label = weekOf(w, format);
    parts.push(
      `<g><title>${xmlText(`Week of ${label}: ${w.given} given, ${w.won} won`)}</title>` +
        barChart.rowLabel(LABEL, y + ROW / 2, label, '#5b6570', FONT) +
        (w.given > 0 ? `<rect x="${LABEL}" y="${n(y + 3)}" width="${n(x(w.given) - LABEL)}" height="${ROW - 6}" fill="#9cc3ec"/>` : '') +
        (w.won > 0 ? `<rect x="${LABEL}" y="${n(y + 3)}" width="${n(x(w.won) - LABEL)}" height="${ROW - 6}" fill="url(#${id}-hatch)"/>` : '') +
        barChart.value(x(w.given), y + ROW / 2, w.won > 0 ? `${w.given} (${w.won} won)` : String(w.given), '#0b3f7a', FONT) +
        `</g>`,
    );
  });
  parts.push(barChart.axis(LABEL, top, top + weeks.length * ROW));
  const width = WIDTH;

  const given = weeks.reduce((s, w) => s + w.given, 0);
  const won = weeks.reduce((s, w) => s + w.won, 0);
  const busiest = weeks.reduce<WeekCount | undefined>((best, w) => (w.given > (best?.given ?? 0) ? w : best), undefined);
  const period = input.periodLabel ? ` in ${input.periodLabel}` : '';
  return {
    svg: svgFrame({
      id,
      width,
      height,
      title: `Referrals per week${period}`,
      desc:
        `Bars show the referrals given each week and, hatched, how many of them were won. ${given} given and ${won} won over ${weeks.length} week${weeks.length === 1 ? '' : 's'}.` +
        (busiest ? ` The busiest week began ${weekOf(busiest, 'd LLLL')} with ${busiest.given}.` : ''),
      body: parts.join(''),
    }),
    table: {
      caption: `Referrals per week${period}`,
      head: ['Week of', 'Given', 'Won'],
      rows: weeks.map((w) => [weekOf(w, 'd LLL yyyy'), w.given, w.won]),
    },
  };
}
