/**
 * Referrals per week: one bar per week for the referrals given (logged) that week, its darker,
 * hatched lower part the ones of them that were won. Numbers are printed on the bars.
 */
import { DateTime } from 'luxon';
import type { Referral } from '../../domain/types.js';
import { referralsInPeriod } from '../summary.js';
import { n, niceTicks, svgFrame, text, xmlText, type Chart } from './xml.js';

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
  const start = DateTime.fromISO(input.from, { zone: input.timezone }).startOf('week');
  const end = DateTime.fromISO(input.to, { zone: input.timezone });
  const weeks: WeekCount[] = [];
  const byWeek = new Map<string, WeekCount>();
  for (let w = start; w < end; w = w.plus({ weeks: 1 })) {
    const week = { weekStart: w.toISODate()!, given: 0, won: 0 };
    weeks.push(week);
    byWeek.set(week.weekStart, week);
  }
  for (const r of referralsInPeriod(input.referrals, input.from, input.to, input.timezone)) {
    const key = DateTime.fromISO(r.createdAt, { zone: input.timezone }).startOf('week').toISODate()!;
    const week = byWeek.get(key);
    if (!week) continue;
    week.given += 1;
    if (r.status === 'won') week.won += 1;
  }
  return weeks;
}

const FONT = 12;
const PLOT_HEIGHT = 180;

export function weeklyChart(input: WeeklyInput): Chart {
  const weeks = weeklyCounts(input);
  const id = input.idPrefix ?? 'weekly';
  const max = Math.max(1, ...weeks.map((w) => w.given));
  const ticks = niceTicks(max, 4);
  const top = ticks[ticks.length - 1]!;
  const slot = Math.max(18, Math.min(56, 640 / Math.max(1, weeks.length)));
  const bar = slot * 0.7;
  const left = 36;
  const plotTop = 44;
  const width = left + weeks.length * slot + 12;
  const height = plotTop + PLOT_HEIGHT + 44;
  const y = (v: number) => plotTop + PLOT_HEIGHT - (v / top) * PLOT_HEIGHT;
  const labelEvery = Math.ceil(weeks.length / 12);

  const parts: string[] = [
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#125c2c"/><rect width="2" height="6" fill="#2e8b57"/></pattern></defs>`,
    // Legend: words, not colour alone.
    `<rect x="${left}" y="8" width="14" height="14" fill="#9cc3ec"/>`,
    text(left + 20, 20, 'given (number on top)', `font-size="${FONT}" fill="#1d232a"`),
    `<rect x="${left + 170}" y="8" width="14" height="14" fill="url(#${id}-hatch)"/>`,
    text(left + 190, 20, 'of them won (number inside)', `font-size="${FONT}" fill="#1d232a"`),
  ];
  for (const t of ticks) {
    parts.push(`<line x1="${left}" x2="${n(width - 8)}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="#e6e9ed"/>`);
    parts.push(text(left - 6, y(t), t, `font-size="${FONT - 1}" text-anchor="end" dominant-baseline="central" fill="#5b6570"`));
  }
  weeks.forEach((w, i) => {
    const x = left + i * slot + (slot - bar) / 2;
    const label = DateTime.fromISO(w.weekStart).toFormat('d LLL');
    parts.push(
      `<g><title>${xmlText(`Week of ${label}: ${w.given} given, ${w.won} won`)}</title>` +
        (w.given > 0 ? `<rect x="${n(x)}" y="${n(y(w.given))}" width="${n(bar)}" height="${n(y(0) - y(w.given))}" fill="#9cc3ec"/>` : '') +
        (w.won > 0 ? `<rect x="${n(x)}" y="${n(y(w.won))}" width="${n(bar)}" height="${n(y(0) - y(w.won))}" fill="url(#${id}-hatch)"/>` : '') +
        text(x + bar / 2, y(w.given) - 4, w.given, `font-size="${FONT}" text-anchor="middle" font-weight="600" fill="#0b3f7a"`) +
        (w.won > 0 && y(0) - y(w.won) >= FONT + 2
          ? `<text x="${n(x + bar / 2)}" y="${n(y(w.won) + FONT + 1)}" font-size="${FONT}" text-anchor="middle" font-weight="700" fill="#ffffff" stroke="#125c2c" stroke-width="2" paint-order="stroke">${w.won}</text>`
          : '') +
        `</g>`,
    );
    if (i % labelEvery === 0) parts.push(text(x + bar / 2, y(0) + 16, label, `font-size="${FONT - 1}" text-anchor="middle" fill="#5b6570"`));
  });
  parts.push(`<line x1="${left}" x2="${n(width - 8)}" y1="${n(y(0))}" y2="${n(y(0))}" stroke="#9aa5b1"/>`);

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
        (busiest ? ` The busiest week began ${DateTime.fromISO(busiest.weekStart).toFormat('d LLLL')} with ${busiest.given}.` : ''),
      body: parts.join(''),
    }),
    table: {
      caption: `Referrals per week${period}`,
      head: ['Week of', 'Given', 'Won'],
      rows: weeks.map((w) => [DateTime.fromISO(w.weekStart).toFormat('d LLL yyyy'), w.given, w.won]),
    },
  };
}
