import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, csvRecords } from '../../../src/members/roster/csv-records.js';

/** csv-parse with the options read-roster.ts used before csvRecords replaced it in the bundles. */
const reference = (text: string, delimiter: string, to?: number) => {
  try {
    return parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, ...(to ? { to } : {}) }) as string[][];
  } catch (err) {
    return { error: (err as Error).message };
  }
};
const ours = (text: string, delimiter: string, to?: number) => {
  try {
    return csvRecords(text, delimiter, to);
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    return { error: err.message };
  }
};

describe('csvRecords reads as csv-parse did', () => {
  it.each([
    ['a,b\n', [['a', 'b']]],
    ['a,b\n\nc', [['a', 'b'], [''], ['c']]],
    ['a,"b""c"\r\nd', [['a', 'b"c'], ['d']]],
    ['a,b"c,d', [['a', 'b"c', 'd']]],
    ['"a""b"x,c', [['"a"b"x', 'c']]],
    ['a,b\r\nc\nd', [['a', 'b'], ['c\nd']]],
    ['"a\nb",c\r', [['a\nb', 'c']]],
    ['', []],
    [',', [['', '']]],
  ])('%j', (text, records) => {
    expect(ours(text, ',')).toEqual(records);
    expect(reference(text, ',')).toEqual(records);
  });

  it('an unclosed quote is the same error', () => {
    expect(ours('Name,Email\n"Broken,a@b.example\n', ',')).toEqual(reference('Name,Email\n"Broken,a@b.example\n', ','));
    expect(() => csvRecords('"abc', ',')).toThrow(/Quote Not Closed/);
  });

  it('on generated files (quotes, delimiters, every kind of line break), with and without a record limit', () => {
    const piece = fc.constantFrom('a', 'b', ' ', 'é', '"', '""', ',', ';', '\t', '\n', '\r', '\r\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(',', ';', '\t'), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), (pieces, delimiter, to) => {
        const text = pieces.join('');
        expect(ours(text, delimiter, to)).toEqual(reference(text, delimiter, to));
      }),
      { numRuns: 3000, seed: 13 },
    );
  });
});
