import { describe, expect, it } from 'vitest';
import { csvField, summaryCsv, summaryCsvFilename } from '../../../src/reports/csv.js';
import type { Summary } from '../../../src/reports/summary.js';

/** A strict RFC 4180 reader, to prove the writer's quoting round-trips. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    }
    else field += ch;
  }
  return rows;
}

const row = (memberId: string, name: string, over: Partial<Summary['members'][number]> = {}): Summary['members'][number] => ({
  memberId, name, status: 'active', given: 1, received: 2, won: 1, lost: 0, closedValue: [], closedValueWon: [],
  medianHoursToFirstContact: 2.5, p90HoursToFirstContact: 3.7, thankedWithinDayShare: 0.5, conversion: 1, ...over,
});

const summary: Summary = {
  from: '2026-06-01',
  to: '2026-07-01',
  timezone: 'Europe/London',
  members: [
    row('aaaaaaaaaaaaaaaa', 'Smith, Jane "JJ"', { closedValue: [{ amount: 1000, currency: 'GBP' }, { amount: 12.5, currency: 'EUR' }] }),
    row('bbbbbbbbbbbbbbbb', 'Line\r\nbreak'),
    row('cccccccccccccccc', '=HYPERLINK("http://evil.example")', { medianHoursToFirstContact: null, conversion: null }),
  ],
  totals: { given: 3, won: 3, lost: 0, closedValue: [{ amount: 12.5, currency: 'EUR' }, { amount: 1000, currency: 'GBP' }], medianHoursToFirstContact: 2.5, p90HoursToFirstContact: 3.7, thankedWithinDayShare: 0.5, conversion: 1 },
};

describe('summary CSV', () => {
  it('quotes commas, quotes and line breaks, and round-trips through a strict reader', () => {
    // Act
    const csv = summaryCsv(summary);

    // Assess
    expect(csv.startsWith('\uFEFFmember_id,name,given,received,won,lost,closed_value_eur,closed_value_gbp,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = readCsv(csv.slice(1));
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    expect(rows[1]).toEqual(['aaaaaaaaaaaaaaaa', 'Smith, Jane "JJ"', '1', '2', '1', '0', '12.50', '1000.00', '2.5', '3.7', '0.5', '1']);
    expect(rows[2]![1]).toBe('Line\r\nbreak');
    expect(rows[4]!.slice(0, 2)).toEqual(['', 'TOTAL']);
  });

  it('defuses spreadsheet formulas in names and leaves empty cells for missing figures', () => {
    const rows = readCsv(summaryCsv(summary).slice(1));
    expect(rows[3]![1]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(rows[3]!.slice(-4)).toEqual(['', '3.7', '0.5', '']);
  });

  it('writes plain fields plainly', () => {
    expect(csvField('Ann Lee')).toBe('Ann Lee');
    expect(csvField(3)).toBe('3');
    expect(csvField(null)).toBe('');
    expect(csvField('-5')).toBe("'-5");
    expect(csvField('a"b')).toBe('"a""b"');
  });

  it('names the file safely', () => {
    expect(summaryCsvFilename('harbour', '2026-06-01', '2026-07-01')).toBe('referrals-harbour-2026-06-01-to-2026-07-01.csv');
    expect(summaryCsvFilename('a"b\r\n/c', '2026-06-01', '2026-07-01')).toBe('referrals-abc-2026-06-01-to-2026-07-01.csv');
  });
});
