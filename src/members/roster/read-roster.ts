/**
 * Reads a roster CSV as spreadsheets export it: UTF-8 with or without a byte-order mark, comma or
 * semicolon (Excel in continental Europe) or tab, CRLF or LF, quoted fields with doubled quotes and
 * line breaks. The first row names the columns (see roster-columns.ts). Pure: text in, rows out.
 */
import { CsvFormatError, csvRecords } from './csv-records.js';
import { mapColumns, type RosterField } from './roster-columns.js';

/** A whole-file problem (no header, no e-mail column, broken quoting): nothing can be imported. */
export class RosterFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterFormatError';
  }
}

/** One data row; `row` is the spreadsheet's row number (the header is row 1). */
export interface RosterRow {
  row: number;
  cells: Partial<Record<RosterField, string>>;
}

export interface Roster {
  rows: RosterRow[];
  /** The header as written, per field (for messages that use the admin's own words). */
  headers: Partial<Record<RosterField, string>>;
  /** Columns that are not imported (named back to the admin in the preview). */
  ignored: string[];
}

/** Generous for a chapter (20–60 members) and for a region's export; bounds the work per request. */
export const MAX_ROSTER_ROWS = 5000;

const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The delimiter used most often in the header line, outside quotes; comma on a tie. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  return DELIMITERS.reduce((best, d) => (counts.get(d)! > counts.get(best)! ? d : best), ',' as Delimiter);
}

function parseRecords(text: string, delimiter: Delimiter): string[][] {
  try {
    return csvRecords(text, delimiter, MAX_ROSTER_ROWS + 2);
  } catch (err) {
    if (err instanceof CsvFormatError) throw new RosterFormatError(`The file is not readable as CSV: ${err.message}`);
    throw err;
  }
}

/**
 * The file's bytes as text. Spreadsheets save "CSV UTF-8" (with or without a BOM); an old "CSV"
 * save in Windows-1252 is refused with the fix, rather than imported with broken umlauts.
 */
export function rosterText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RosterFormatError('The file is not UTF-8 text: in the spreadsheet, save it as "CSV UTF-8"');
  }
}

const blank = (record: string[]) => record.every((cell) => cell.trim() === '');

/** Parses the roster; throws RosterFormatError when the file as a whole cannot be imported. */
export function readRoster(input: string): Roster {
  const text = input.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new RosterFormatError('The file is empty: it needs a header row (e.g. "Name,Email,Company,Category") and one row per member');
  const records = parseRecords(text, detectDelimiter(text));
  const headerIndex = records.findIndex((r) => !blank(r));
  const header = (records[headerIndex] ?? []).map((h) => h.trim());
  const columns = mapColumns(header);
  if (columns.email === undefined) {
    throw new RosterFormatError(`No e-mail column: the first row must name the columns, e.g. "Name,Email,Company,Category" (found: ${header.map((h) => `"${h}"`).join(', ')})`);
  }
  const dataRecords = records.slice(headerIndex + 1);
  if (dataRecords.length > MAX_ROSTER_ROWS) throw new RosterFormatError(`More than ${MAX_ROSTER_ROWS} rows: split the file`);
  const used = new Set(Object.values(columns));
  const headers = Object.fromEntries(Object.entries(columns).map(([field, index]) => [field, header[index]!])) as Roster['headers'];
  const rows: RosterRow[] = [];
  dataRecords.forEach((record, i) => {
    if (blank(record)) return;
    const cells: RosterRow['cells'] = {};
    for (const [field, index] of Object.entries(columns) as [RosterField, number][]) {
      const value = record[index]?.replace(/\r\n?/g, '\n').trim();
      if (value) cells[field] = value;
    }
    rows.push({ row: headerIndex + i + 2, cells });
  });
  return { rows, headers, ignored: header.filter((h, i) => h && !used.has(i)) };
}
