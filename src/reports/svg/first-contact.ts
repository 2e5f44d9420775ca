/**
 * How fast providers make first contact: a histogram of the hours from logging to first contact,
 * in buckets people think in, plus the referrals still waiting for it. Counts are printed.
 */
import { isFinal } from '../../referrals/decide-action.js';
import type { Referral } from '../../domain/types.js';
import { referralsInPeriod } from '../summary.js';
import { hoursToFirstContact } from '../stats.js';
import { barChart, n, svgFrame, type Chart } from './xml.js';

export interface FirstContactInput {
  referrals: readonly Referral[];
  from: string;
  to: string;
  timezone: string;
  idPrefix?: string;
  periodLabel?: string;
}

/** Upper bounds in hours (exclusive); the last bucket is open-ended. */
export const CONTACT_BUCKETS: readonly { label: string; below: number }[] = [
  { label: 'under 1 h', below: 1 },
  { label: '1–4 h', below: 4 },
  { label: '4–24 h', below: 24 },
  { label: '1–2 days', below: 48 },
  { label: '2–7 days', below: 168 },
  { label: 'over 7 days', below: Infinity },
];
export const NOT_YET = 'not yet';

export interface BucketCount {
  label: string;
  count: number;
}

/** Counts per bucket; "not yet" = open referrals with no first contact (closed ones without it are left out). */
export function firstContactBuckets(input: Omit<FirstContactInput, 'idPrefix' | 'periodLabel'>): BucketCount[] {
  const counts = CONTACT_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  let notYet = 0;
  for (const r of referralsInPeriod(input.referrals, input.from, input.to, input.timezone)) {
    const hours = hoursToFirstContact(r);
    if (hours === undefined) {
      if (!isFinal(r.status)) notYet += 1;
      continue;
    }
    const i = CONTACT_BUCKETS.findIndex((b) => hours < b.below);
    counts[i]!.count += 1;
  }
  return [...counts, { label: NOT_YET, count: notYet }];
}

const FONT = 12;
const ROW = 28;
const WIDTH = 360;
const LABEL = 86;
const BARS = 220;

/** Horizontal bars, one per bucket, the count printed after each: readable on a phone. */
export function firstContactChart(input: FirstContactInput): Chart {
  const buckets = firstContactBuckets(input);
  const id = input.idPrefix ?? 'first-contact';
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const top = 8;
  const width = WIDTH;
  const height = top + buckets.length * ROW + 8;
  const x = (v: number) => LABEL + (v / max) * BARS;

  const parts: string[] = [];
  buckets.forEach((b, i) => {
    const y = top + i * ROW;
    const waiting = b.label === NOT_YET;
    // "not yet" is grey and dashed: a different kind of bar, not just a different colour.
    const style = waiting ? 'fill="#eceff3" stroke="#5b6570" stroke-dasharray="4 3"' : `fill="${i <= 2 ? '#4f8fd6' : '#d08a2e'}"`;
    parts.push(barChart.rowLabel(LABEL, y + ROW / 2, b.label, '#1d232a', FONT));
    if (b.count > 0) parts.push(`<rect x="${LABEL}" y="${n(y + 4)}" width="${n(x(b.count) - LABEL)}" height="${ROW - 8}" ${style}/>`);
    parts.push(barChart.value(x(b.count), y + ROW / 2, b.count, '#1d232a', FONT));
  });
  parts.push(barChart.axis(LABEL, top, top + buckets.length * ROW));

  const contacted = buckets.filter((b) => b.label !== NOT_YET).reduce((s, b) => s + b.count, 0);
  const withinDay = buckets.slice(0, 3).reduce((s, b) => s + b.count, 0);
  const notYet = buckets.find((b) => b.label === NOT_YET)!.count;
  const period = input.periodLabel ? ` in ${input.periodLabel}` : '';
  return {
    svg: svgFrame({
      id,
      width,
      height,
      title: `Time to first contact${period}`,
      desc: `How long after logging providers first made contact. ${withinDay} of ${contacted} contacted within 24 hours; ${notYet} open referral${notYet === 1 ? '' : 's'} not contacted yet.`,
      body: parts.join(''),
    }),
    table: {
      caption: `Time to first contact${period}`,
      head: ['Time from logging', 'Referrals'],
      rows: buckets.map((b) => [b.label, b.count]),
    },
  };
}
