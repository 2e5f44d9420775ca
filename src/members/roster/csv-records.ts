/**
 * A small CSV reader (RFC 4180, as lenient as spreadsheets need), replacing csv-parse in the bundles:
 * csv-parse cost the `api` Lambda 30 KiB for the one call below. It reads exactly as csv-parse did with
 * `{ relax_column_count, relax_quotes, skip_empty_lines: false, to }` (checked against csv-parse on
 * generated files in test/unit/members/csv-records.test.ts):
 * - the record separator is the first line break met outside quotes (`\r\n`, `\n` or `\r`), then only it;
 * - a field that starts with `"` is quoted: `""` is a quote, delimiters and line breaks are text;
 * - a quote inside an unquoted field is text; a closing quote followed by anything but a delimiter or
 *   the record separator makes the whole field text (its quotes kept, `""` read as one);
 * - a blank line is a record of one empty field; a separator at the very end adds no record;
 * - a quote still open at the end is an error (`CsvFormatError`).
 */
export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/** The records of `text`, at most `limit` of them. */
export function csvRecords(text: string, delimiter: string, limit = Infinity): string[][] {
  const records: string[][] = [];
  let separator: string | undefined;
  let record: string[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  /** The record separator starting at `at`, if any (learning it on first sight). */
  const separatorAt = (at: number): string | undefined => {
    const ch = text[at];
    if (ch !== '\r' && ch !== '\n') return undefined;
    const found = ch === '\r' && text[at + 1] === '\n' ? '\r\n' : ch;
    if (!separator) separator = found;
    return text.startsWith(separator, at) ? separator : undefined;
  };
  /** The character at `i` as field text; csv-parse counts each CR and LF in a field as a line, but not a last character. */
  const take = () => {
    const ch = text[i++]!;
    if ((ch === '\n' || ch === '\r') && i < n) line++;
    return ch;
  };
  while (i < n && records.length < limit) {
    let field = '';
    if (text[i] === '"') {
      const start = i;
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        field += take();
      }
      if (!closed) throw new CsvFormatError(`Quote Not Closed: the parsing is finished with an opening quote at line ${line}`);
      if (i < n && text[i] !== delimiter && !separatorAt(i)) {
        // Not a real closing quote: the field is text from its first character on.
        field = `"${text.slice(start + 1, i - 1).replace(/""/g, '"')}"`;
        while (i < n && text[i] !== delimiter && !separatorAt(i)) field += take();
      }
    } else {
      while (i < n && text[i] !== delimiter && !separatorAt(i)) field += take();
    }
    record.push(field);
    if (i >= n) break;
    if (text[i] === delimiter) {
      i++;
      if (i >= n) record.push('');
      continue;
    }
    // A record separator.
    i += separator!.length;
    line++;
    records.push(record);
    record = [];
  }
  if (record.length && records.length < limit) records.push(record);
  return records;
}
