/**
 * The report as CSV (RFC 4180): the same rows as the JSON, one column per currency of closed
 * value, then a TOTAL row. Pure.
 */
import type { Money } from '../domain/types.js';
import type { Summary } from './summary.js';

/**
 * One CSV field. Quoted when it holds a comma, quote or line break (quotes doubled). A text that
 * starts like a formula (=, +, -, @, tab, CR) gets a leading apostrophe, so a member named
 * "=HYPERLINK(…)" cannot run in a spreadsheet (OWASP "CSV injection").
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: readonly (string | number | null | undefined)[]) => fields.map(csvField).join(',');

const amountIn = (values: readonly Money[], currency: string) => {
  const found = values.find((v) => v.currency === currency);
  return found ? found.amount.toFixed(2) : '0.00';
};

/** The CSV text, CRLF line ends, a UTF-8 byte-order mark so spreadsheet programs read names right. */
export function summaryCsv(summary: Summary): string {
  const currencies = [...new Set([...summary.totals.closedValue, ...summary.members.flatMap((m) => m.closedValue)].map((v) => v.currency))].sort();
  const head = [
    'member_id',
    'name',
    'given',
    'received',
    'won',
    'lost',
    ...currencies.map((c) => `closed_value_${c.toLowerCase()}`),
    'median_hours_to_first_contact',
    'p90_hours_to_first_contact',
    'thanked_within_day_share',
    'conversion',
  ];
  const rows = summary.members.map((m) =>
    csvLine([
      m.memberId,
      m.name,
      m.given,
      m.received,
      m.won,
      m.lost,
      ...currencies.map((c) => amountIn(m.closedValue, c)),
      m.medianHoursToFirstContact,
      m.p90HoursToFirstContact,
      m.thankedWithinDayShare,
      m.conversion,
    ]),
  );
  const t = summary.totals;
  const total = csvLine(['', 'TOTAL', t.given, t.given, t.won, t.lost, ...currencies.map((c) => amountIn(t.closedValue, c)), t.medianHoursToFirstContact, t.p90HoursToFirstContact, t.thankedWithinDayShare, t.conversion]);
  return `\uFEFF${[csvLine(head), ...rows, total].join('\r\n')}\r\n`;
}

/** A download name: letters, digits and dashes only. */
export function summaryCsvFilename(slug: string, from: string, to: string): string {
  const safe = slug.replace(/[^a-z0-9-]/gi, '').slice(0, 60) || 'group';
  return `referrals-${safe}-${from}-to-${to}.csv`;
}
